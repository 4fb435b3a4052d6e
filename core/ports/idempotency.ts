/** A stored response, replayed verbatim for a repeated Idempotency-Key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * The ticket whose customer the body had, stored without it (contact data stays on the ticket
   * alone, functions/commons/stored-contact.ts): a replay puts it back from the ticket.
   */
  contactOf?: string;
}

export type IdempotencyClaim =
  | { outcome: 'claimed'; claimId: string }
  | { outcome: 'replay'; response: StoredResponse }
  /**
   * An earlier request with this key wrote its ticket (`resourceId`) but its response was never
   * stored (it ran out of time, or storing failed): answer from the ticket, never run it again.
   */
  | { outcome: 'applied'; claimId: string; resourceId: string }
  | { outcome: 'mismatch' }
  | { outcome: 'in-progress' };

export interface IdempotencyStore {
  /**
   * Claims `key` for a request whose canonical content hashes to `requestHash`, locked until
   * `lockedUntil` (the request's deadline): after that a retry may take an unfinished claim over.
   */
  claim(
    tenantId: string,
    key: string,
    requestHash: string,
    now: Date,
    lockedUntil: Date,
  ): Promise<IdempotencyClaim>;
  /** Stores the response of claim `claimId`, unless one is stored already. */
  complete(
    tenantId: string,
    key: string,
    claimId: string,
    response: StoredResponse,
    now: Date,
  ): Promise<void>;
  /** Gives the key back after a failure so that a retry runs again — unless the claim's write landed. */
  release(tenantId: string, key: string, claimId: string): Promise<void>;
}
