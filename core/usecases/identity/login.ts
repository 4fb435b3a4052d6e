import {
  ForbiddenError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
} from '#core/domain/errors';
import { throttleSubject } from '#core/domain/login-throttle';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '#core/domain/password';
import { normalizeUsername } from '#core/domain/user';
import type { SessionContext } from './context';
import { type Session, startSession } from './session';

export interface LoginInput {
  tenant: string;
  username: string;
  password: string;
}

/** One message for every failure, so a response never tells which part was wrong. */
const loginFailed = () => new UnauthorizedError('Invalid tenant, username or password');

const tookTooLong = () => new ServiceUnavailableError('The login took too long, retry');

/** The tenant and user the credentials name, if the password is the user's. */
async function checkCredentials(ctx: SessionContext, input: LoginInput) {
  const tenant = await ctx.tenants.findBySlug(input.tenant.toLowerCase(), ctx.now);
  const user = tenant && (await ctx.users.findByUsername(tenant.tenantId, normalizeUsername(input.username)));
  // The same scrypt work whether or not the user exists, so timing reveals nothing.
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  return tenant && user && passwordOk ? { tenant, user } : undefined;
}

export async function login(ctx: SessionContext, input: LoginInput): Promise<Session> {
  const { now } = ctx;
  // A slot of the failure budget is held during the password check: a correct password does
  // not bypass a lockout, and parallel guesses get no more checks than the budget.
  const attempt = await ctx.throttle.claim(throttleSubject(input.tenant, input.username), now);
  if (!attempt.claimed) {
    throw new RateLimitedError(attempt.retryAfterSeconds, 'Too many failed login attempts, retry later');
  }
  let found: Awaited<ReturnType<typeof checkCredentials>>;
  try {
    found = await checkCredentials(ctx, input);
  } catch (error) {
    // A server error is no wrong password: the slot is given back (or reclaimed if this fails).
    await ctx.throttle.release(attempt).catch(() => {});
    throw error;
  }
  // An attempt whose slot was reclaimed meanwhile (it ran past its claim) is no check within
  // the budget: its outcome, right or wrong, is not revealed.
  if (!found?.user.active) {
    if (!(await ctx.throttle.fail(attempt, now))) throw tookTooLong();
    throw loginFailed();
  }
  if (!(await ctx.throttle.release(attempt))) throw tookTooLong();
  if (!found.tenant.verified) {
    throw new ForbiddenError('Verify your e-mail address before logging in', 'email-not-verified');
  }
  return startSession(ctx, found.user);
}
