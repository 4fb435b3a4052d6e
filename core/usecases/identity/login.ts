import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../../domain/errors';
import { throttleSubject } from '../../domain/login-throttle';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../domain/password';
import { normalizeUsername } from '../../domain/user';
import type { LoginThrottle } from '../../ports/sessions';
import type { TenantStore } from '../../ports/tenants';
import type { UserStore } from '../../ports/users';
import { type Session, type SessionDeps, startSession } from './session';

export interface LoginDeps extends SessionDeps {
  tenants: TenantStore;
  users: UserStore;
  throttle: LoginThrottle;
}

export interface LoginInput {
  tenant: string;
  username: string;
  password: string;
}

/** One message for every failure, so a response never tells which part was wrong. */
const loginFailed = () => new UnauthorizedError('Invalid tenant, username or password');

export async function login(deps: LoginDeps, input: LoginInput, now: Date): Promise<Session> {
  // Claimed before the password is checked: a correct password does not bypass a lockout.
  const attempt = await deps.throttle.claim(throttleSubject(input.tenant, input.username), now);
  if (!attempt.claimed) {
    throw new RateLimitedError(attempt.retryAfterSeconds, 'Too many failed login attempts, retry later');
  }
  const tenant = await deps.tenants.findBySlug(input.tenant.toLowerCase(), now);
  const user =
    tenant && (await deps.users.findByUsername(tenant.tenantId, normalizeUsername(input.username)));
  // The same scrypt work whether or not the user exists, so timing reveals nothing.
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!tenant || !user || !passwordOk || !user.active) throw loginFailed();
  await deps.throttle.release(attempt);
  if (!tenant.verified) {
    throw new ForbiddenError('Verify your e-mail address before logging in', 'email-not-verified');
  }
  return startSession(deps, user, now);
}
