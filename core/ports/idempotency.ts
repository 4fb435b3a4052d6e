/** A stored response, replayed verbatim for a repeated Idempotency-Key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'mismatch' }
  | { outcome: 'in-progress' };

export interface IdempotencyStore {
  /** Claims `key` for a request whose canonical content hashes to `requestHash`. */
  claim(tenantId: string, key: string, requestHash: string, now: Date): Promise<IdempotencyClaim>;
  complete(tenantId: string, key: string, response: StoredResponse, now: Date): Promise<void>;
  /** Gives the key back after a failure so that a retry runs again. */
  release(tenantId: string, key: string, requestHash: string): Promise<void>;
}
