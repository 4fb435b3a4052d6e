import type { AccessClaims } from '../domain/session';

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
  | { claimed: true; subject: string; windowStart: number }
  | {
      claimed: false;
      retryAfterSeconds: number;
    };

export interface LoginThrottle {
  /** Counts an attempt for `subject` unless the window is full. */
  claim(subject: string, now: Date): Promise<ThrottleClaim>;
  /** Gives back the attempt of a login whose password was right. */
  release(claim: ThrottleClaim & { claimed: true }): Promise<void>;
}

export interface AccessTokenSigner {
  sign(claims: AccessClaims, now: Date): Promise<string>;
}
