/**
 * The single table of Queueline: its key schema and its sparse global secondary indexes.
 * Read by the local runtime (create-table) and by infra/storage.ts (sst.aws.Dynamo), so the
 * table exists in one place. Every access pattern is documented in docs/data-model.md.
 */
export type IndexName = 'waiting' | 'byDay' | 'open' | 'refs' | 'due';

export interface IndexDef {
  hashKey: string;
  rangeKey: string;
  /** Attributes projected besides the keys; 'all' for every attribute. */
  projection: 'all' | 'keys_only' | readonly string[];
}

export const TABLE = {
  hashKey: 'pk',
  rangeKey: 'sk',
  ttl: 'ttl',
  indexes: {
    /** Waiting tickets of one queue × rank, in arrival order: the heads call-next reads. */
    waiting: { hashKey: 'waitPk', rangeKey: 'waitSk', projection: 'all' },
    /** Tickets of one branch × business day, for listing with filters. */
    byDay: { hashKey: 'dayPk', rangeKey: 'daySk', projection: 'all' },
    /** Unfinished tickets (waiting, called, serving) of a branch, by business day: what close-day touches. */
    open: { hashKey: 'openPk', rangeKey: 'openSk', projection: 'keys_only' },
    /** "Who refers to X": branches of a tenant, active users of a role, queues of a priority. */
    refs: { hashKey: 'refPk', rangeKey: 'refSk', projection: 'all' },
    /** Branches by the UTC instant their next day close is due: the nightly job's work list. */
    due: { hashKey: 'duePk', rangeKey: 'dueSk', projection: 'keys_only' },
  } satisfies Record<IndexName, IndexDef>,
} as const;

/** Every key attribute of the table and its indexes (all strings). */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE.hashKey,
  TABLE.rangeKey,
  ...Object.values(TABLE.indexes).flatMap((i) => [i.hashKey, i.rangeKey]),
];
