import type { AccessClaims } from '#core/domain/session';

export interface RefreshTokenRecord {
  tenantId: string;
  userId: string;
  familyId: string;
  state: 'active' | 'rotated';
  expiresAt: Date;
}

export interface RefreshFamily {
  userId: string;
  /** The user's sessionEpoch when the login happened. */
  sessionEpoch: number;
  revokedAt: string | null;
}

/** One login = one family of refresh tokens, each used once and replaced by the next. */
export interface SessionStore {
  start(session: {
    tenantId: string;
    userId: string;
    familyId: string;
    sessionEpoch: number;
    tokenHash: string;
    now: Date;
  }): Promise<void>;
  findToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  getFamily(tenantId: string, familyId: string): Promise<RefreshFamily | undefined>;
  /**
   * Marks `fromHash` rotated and stores `toHash` in one step, provided the token is still
   * active ('reused' otherwise), and the family and user still at `sessionEpoch` ('revoked').
   */
  rotate(rotation: {
    fromHash: string;
    toHash: string;
    token: RefreshTokenRecord;
    sessionEpoch: number;
    now: Date;
  }): Promise<'rotated' | 'reused' | 'revoked'>;
  revokeFamily(tenantId: string, familyId: string, now: Date): Promise<void>;
}

export type ThrottleClaim =
  | { claimed: true; subject: string; slot: number; claimId: string }
  | {
      claimed: false;
      retryAfterSeconds: number;
    };

/** The failed-login budget of core/domain/login-throttle.ts. */
export interface LoginThrottleStore {
  /**
   * Holds one of the subject's slots for a password check. While every slot is held and some
   * only by attempts in flight it waits for them (a bounded time, then 503); when failures
   * hold them all, the answer is `claimed: false`.
   */
  claim(subject: string, now: Date): Promise<ThrottleClaim>;
  /**
   * The password was wrong: the slot stays held for the window, as a failure. false when the
   * attempt no longer held it (it ran past its claim, which was reclaimed).
   */
  fail(claim: ThrottleClaim & { claimed: true }, now: Date): Promise<boolean>;
  /** The attempt ended otherwise (success, server error): the slot is free again. false as for `fail`. */
  release(claim: ThrottleClaim & { claimed: true }): Promise<boolean>;
}

export interface AccessTokenSigner {
  sign(claims: AccessClaims, now: Date): Promise<string>;
}
