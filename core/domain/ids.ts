import { monotonicFactory } from 'ulid';

/**
 * ULIDs that strictly increase within this process, even within one millisecond: creation
 * order is id order (lists keep it; tickets issued in the same millisecond keep issue order,
 * which call order uses to break ties).
 */
export const newId = monotonicFactory();
