import { ConflictError } from '#core/domain/errors';
import { hashPassword } from '#core/domain/password';
import { applyUserPatch, publicUser, type User, type UserPatch } from '#core/domain/user';
import type { IdentityContext } from './context';
import {
  assertBranchesExist,
  changeUserInReach,
  customRoleId,
  roleToAssign,
  unknownRole,
} from './user-rules';

export interface UserChanges extends Omit<UserPatch, 'passwordHash'> {
  password?: string;
}

/** Applied to the user as stored, written only if nobody wrote in between (version check). */
export async function updateUser(
  ctx: IdentityContext,
  { userId, ...changes }: { userId: string } & UserChanges,
): Promise<User> {
  const { actor, now } = ctx;
  await assertBranchesExist(ctx.users, actor.tenantId, changes.branchIds);
  const role =
    changes.roleId === undefined ? undefined : await roleToAssign(ctx.roles, actor.tenantId, changes.roleId);
  const { password, ...patch } = changes;
  let passwordHash: string | undefined;
  const granted = { permissions: role?.permissions, scope: changes.branchIds };
  return changeUserInReach(ctx, userId, granted, async (current) => {
    if (changes.active === false && userId === actor.userId) {
      throw new ConflictError('cannot-deactivate-self', 'You cannot deactivate yourself');
    }
    if (password !== undefined) passwordHash ??= await hashPassword(password);
    const next = applyUserPatch(current, { ...patch, passwordHash }, now);
    const outcome = await ctx.users.update(next, current.version, customRoleId(changes.roleId));
    if (outcome === 'role-missing') throw unknownRole();
    return outcome === 'updated' ? publicUser(next) : undefined;
  });
}
