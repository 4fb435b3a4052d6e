/** A ticket whose contact data is due for erasure: its `due` index entry. */
export interface DueContact {
  tenantId: string;
  ticketId: string;
  /** The entry's sort key: the erasure is conditioned on the ticket still carrying it. */
  dueSk: string;
}

/** Where contact data is erased (docs/privacy.md). */
export interface ContactStore {
  /**
   * The tickets whose contact data is due for erasure at `at` (the `due` index, every contact
   * partition up to `at`), a page at a time.
   */
  dueContacts(at: Date): AsyncIterable<DueContact[]>;
  /**
   * Erases the ticket's contact data and its `due` entry, on condition that it still carries
   * `due` (an entry erased already, or by a run at the same time, changes nothing): false then.
   */
  eraseDue(due: DueContact, now: Date): Promise<boolean>;
  /**
   * Erases the ticket's contact data at once (and its `due` entry, if any), on condition that it
   * is still at revision `rev`: false when it changed meanwhile.
   */
  eraseNow(tenantId: string, ticketId: string, rev: number, now: Date): Promise<boolean>;
}
