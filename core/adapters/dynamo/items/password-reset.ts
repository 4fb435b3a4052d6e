/** Pending password reset, by the SHA-256 of its token; no tenant prefix, the token is all a reset carries. */
export const passwordResetKey = (tokenHash: string) => ({ pk: `RESET#${tokenHash}`, sk: 'RESET' });

export interface PasswordResetItem {
  pk: string;
  sk: string;
  type: 'password-reset';
  tenantId: string;
  userId: string;
  sessionEpoch: number;
  /** Epoch seconds: when the link stops working (checked on read) and TTL deletes the item. */
  ttl: number;
}
