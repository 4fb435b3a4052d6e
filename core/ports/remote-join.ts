/**
 * The public join page (docs/rules.md#remote-join) knows a branch by its id alone: this port
 * names the branch's tenant, for a branch that takes remote joins (and only such a one).
 */
export interface PublicBranchStore {
  /** The tenant of a live branch with remote join on; undefined for any other id. */
  tenantOf(branchId: string): Promise<string | undefined>;
}
