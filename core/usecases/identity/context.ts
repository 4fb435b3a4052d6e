import type { Mailer } from '#core/ports/mailer';
import type { PasswordResetStore } from '#core/ports/password-resets';
import type { RequestCounter } from '#core/ports/rate-limit';
import type { RoleStore } from '#core/ports/roles';
import type { AccessTokenSigner, LoginThrottleStore, SessionStore } from '#core/ports/sessions';
import type { TenantStore } from '#core/ports/tenants';
import type { UserStore } from '#core/ports/users';
import type { Caller } from '#core/usecases/scope';

/** What user and role administration runs on: the caller, the clock, users and custom roles. */
export interface IdentityContext extends Caller {
  users: UserStore;
  roles: RoleStore;
}

/** Role administration: custom roles only. */
export type RoleContext = Omit<IdentityContext, 'users'>;

/** Login, refresh and logout: no caller yet, only credentials or a refresh token. */
export interface SessionContext {
  now: Date;
  tenants: TenantStore;
  users: UserStore;
  roles: RoleStore;
  sessions: SessionStore;
  throttle: LoginThrottleStore;
  signer: AccessTokenSigner;
}

/** Signing up and verifying the e-mail address of a new tenant. */
export interface SignupContext {
  now: Date;
  tenants: TenantStore;
  mailer: Mailer;
  /** Page that takes the verification token as its `token` query parameter. */
  verifyUrl: string;
}

/** Asking for a password reset link, and using it. */
export interface PasswordResetContext {
  now: Date;
  tenants: TenantStore;
  users: UserStore;
  resets: PasswordResetStore;
  requests: RequestCounter;
  mailer: Mailer;
  /** Page that takes the reset token as its `token` query parameter (`…/#/reset-password`). */
  resetUrl: string;
}
