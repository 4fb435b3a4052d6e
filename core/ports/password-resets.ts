export interface PasswordReset {
  tenantId: string;
  userId: string;
  /** The user's sessionEpoch when the link was mailed: any session-ending change since voids it. */
  sessionEpoch: number;
  expiresAt: Date;
}

/** Pending password resets, by the SHA-256 of their token (never the token itself). */
export interface PasswordResetStore {
  issue(tokenHash: string, reset: PasswordReset): Promise<void>;
  find(tokenHash: string): Promise<PasswordReset | undefined>;
  /** Deletes the reset; false when it was already gone (another use came first). */
  consume(tokenHash: string): Promise<boolean>;
}
