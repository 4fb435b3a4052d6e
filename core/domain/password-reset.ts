import type { Budget } from './rate-limit';

/** Password reset by mail: the link works once, for 30 minutes. */
export const RESET_TOKEN_TTL_SECONDS = 30 * 60;

/**
 * forgot-password answers no sooner than this after it starts, whether it finds the account and
 * mails it or finds nothing: the time of the answer does not tell whether the account exists.
 * Well above what the mailing path takes (a few reads, one write, one SES call).
 */
export const FORGOT_PASSWORD_FLOOR_MS = 1000;

/** Reset mails per account (tenant slug + username): a mailbox gets at most 3 an hour. */
export const FORGOT_PASSWORD_PER_ACCOUNT: Budget = { limit: 3, windowSeconds: 3600 };

/** Uses of valid reset links per account. */
export const RESET_PASSWORD_PER_ACCOUNT: Budget = { limit: 5, windowSeconds: 900 };
