/** Idempotency records: one item per tenant × scoped key, gone 24 h later by TTL. */
export const idempotencyKey = (tenantId: string, scopedKey: string) => ({
  pk: `T#${tenantId}#IDEM#${scopedKey}`,
  sk: 'IDEM',
});

/** Condition on a record: claim `:claim` still holds it and no response is stored (`:pending`). */
export const CLAIM_OPEN = 'claimId = :claim AND #state = :pending';
