import { dynamoBranchStore, dynamoPublicBranchStore } from '#core/adapters/dynamo/branch-store';
import { dynamoBrandingStore } from '#core/adapters/dynamo/branding-store';
import { dynamoContactStore } from '#core/adapters/dynamo/contact-store';
import { dynamoCounterStore } from '#core/adapters/dynamo/counter-store';
import { dynamoDayCloseStore } from '#core/adapters/dynamo/day-close-store';
import { dynamoLoginThrottleStore } from '#core/adapters/dynamo/login-throttle-store';
import { dynamoNotifyStore } from '#core/adapters/dynamo/notify-store';
import { dynamoPasswordResetStore } from '#core/adapters/dynamo/password-reset-store';
import { dynamoPriorityStore } from '#core/adapters/dynamo/priority-store';
import { dynamoQueueStore } from '#core/adapters/dynamo/queue-store';
import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { dynamoReportStore } from '#core/adapters/dynamo/report-store';
import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { dynamoSessionStore } from '#core/adapters/dynamo/session-store';
import { dynamoSetupStore } from '#core/adapters/dynamo/setup-store';
import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import { dynamoTodayStore } from '#core/adapters/dynamo/today-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { mailer } from '#core/adapters/mail/mailer';
import type { MailLog } from '#core/adapters/mail/outbox';
import type { Actor } from '#core/domain/actor';
import type { MetricsRecorder } from '#core/ports/metrics';
import type { ContactContext } from '#core/usecases/contacts/erase-contacts';
import type { DayCloseContext } from '#core/usecases/day-close/close-day';
import type {
  IdentityContext,
  PasswordResetContext,
  RoleContext,
  SessionContext,
  SignupContext,
} from '#core/usecases/identity/context';
import type { NotifyContext } from '#core/usecases/notify/notify';
import type { SignUpContext } from '#core/usecases/notify/sign-up';
import type { ReportContext } from '#core/usecases/reports/context';
import type { TodayContext } from '#core/usecases/reports/today';
import type { Caller } from '#core/usecases/scope';
import type {
  BranchContext,
  CounterContext,
  PriorityContext,
  QueueContext,
} from '#core/usecases/setup/common';
import type { TenantSettingsContext } from '#core/usecases/tenant/branding';
import type { PublicTicketContext, TicketContext } from '#core/usecases/tickets/context';
import type { RemoteJoinContext } from '#core/usecases/tickets/remote-join';
import { logger } from './logger';
import { jwtSigner } from './tokens';

/**
 * The use cases' contexts on DynamoDB, built here and only here: a handler passes its request
 * (the verified actor, the request's clock, its log), tests and benchmarks an actor and an
 * instant of their own. Each context holds the ports its use cases need and no others: a
 * function's bundle carries the adapters its context names (docs/performance.md).
 */

const caller = ({ actor, now }: Caller): Caller => ({ actor, now });

// ---- Tickets, day close, reports

/** `metrics`: the request's, on the routes that report business events (./http.ts Services). */
export const ticketContext = (c: Caller & { metrics?: MetricsRecorder }): TicketContext => ({
  ...caller(c),
  tickets: dynamoTicketStore,
  setups: dynamoSetupStore,
  ...(c.metrics && { metrics: c.metrics }),
});

/** A ticket's customer: no account, only the ticket's public token. */
export const publicTicketContext = ({ now }: { now: Date }): PublicTicketContext => ({
  now,
  tickets: dynamoTicketStore,
  setups: dynamoSetupStore,
  branding: dynamoBrandingStore,
});

// ---- The organisation's settings

export const tenantSettingsContext = (c: Caller): TenantSettingsContext => ({
  ...caller(c),
  branding: dynamoBrandingStore,
});

/** The public logo: no caller. */
export const logoContext = (): Pick<TenantSettingsContext, 'branding'> => ({ branding: dynamoBrandingStore });

/** The join page: a branch that takes remote joins, known by its id alone. */
export const remoteJoinContext = ({
  now,
  metrics,
}: {
  now: Date;
  metrics?: MetricsRecorder;
}): RemoteJoinContext => ({
  now,
  tickets: dynamoTicketStore,
  setups: dynamoSetupStore,
  branches: dynamoPublicBranchStore,
  branding: dynamoBrandingStore,
  ...(metrics && { metrics }),
});

/** The status page's sign-ups for messages (SMS, email, web push). */
export const signUpContext = ({ now }: { now: Date }): SignUpContext => ({
  ...publicTicketContext({ now }),
  notifications: dynamoNotifyStore,
});

/** Sending customers' messages from the table's stream: the tickets, the claims, and a sender. */
export const notifyContext = ({
  now,
  sender,
  appUrl,
  failed,
}: { now: Date } & Pick<NotifyContext, 'sender' | 'appUrl' | 'failed'>): NotifyContext => ({
  ...publicTicketContext({ now }),
  notifications: dynamoNotifyStore,
  sender,
  ...(appUrl && { appUrl }),
  failed,
});

/** Erasing contact data: the hourly job, or a customer by their ticket's token. */
export const contactContext = ({
  now,
}: {
  now: Date;
}): ContactContext & Pick<PublicTicketContext, 'tickets'> => ({
  now,
  contacts: dynamoContactStore,
  tickets: dynamoTicketStore,
});

/** A manual close has a caller; the background run and the hourly job have none. */
export function dayCloseContext(c: Caller): DayCloseContext & Caller;
export function dayCloseContext(c: { now: Date }): DayCloseContext;
export function dayCloseContext({ actor, now }: { actor?: Actor; now: Date }): DayCloseContext {
  return { actor, now, tickets: dynamoTicketStore, setups: dynamoSetupStore, dayClose: dynamoDayCloseStore };
}

export const reportContext = (c: Caller): ReportContext => ({ ...caller(c), reports: dynamoReportStore });

/** The manager's "today": the setup, the waiting index, the day's aggregates and who serves. */
export const todayContext = (c: Caller): TodayContext => ({
  ...caller(c),
  setups: dynamoSetupStore,
  tickets: dynamoTicketStore,
  reports: dynamoReportStore,
  today: dynamoTodayStore,
});

// ---- Setup

export const branchContext = (c: Caller): BranchContext => ({
  ...caller(c),
  setups: dynamoSetupStore,
  branches: dynamoBranchStore,
});

export const queueContext = (c: Caller): QueueContext => ({
  ...caller(c),
  setups: dynamoSetupStore,
  queues: dynamoQueueStore,
});

export const counterContext = (c: Caller): CounterContext => ({
  ...caller(c),
  setups: dynamoSetupStore,
  counters: dynamoCounterStore,
});

export const priorityContext = (c: Caller): PriorityContext => ({
  ...caller(c),
  priorities: dynamoPriorityStore,
});

// ---- Identity

export const userContext = (c: Caller): IdentityContext => ({
  ...caller(c),
  users: dynamoUserStore,
  roles: dynamoRoleStore,
});

export const roleContext = (c: Caller): RoleContext => ({ ...caller(c), roles: dynamoRoleStore });

/** Logout ends a login: the refresh tokens, nothing else. */
export const logoutContext = ({ now }: { now: Date }): Pick<SessionContext, 'now' | 'sessions'> => ({
  now,
  sessions: dynamoSessionStore,
});

/** Refresh issues tokens for the user a refresh token names. */
export const refreshContext = ({ now }: { now: Date }): Omit<SessionContext, 'tenants' | 'throttle'> => ({
  ...logoutContext({ now }),
  users: dynamoUserStore,
  roles: dynamoRoleStore,
  signer: jwtSigner,
});

/** Login checks credentials against a failure budget, then issues tokens. */
export const loginContext = ({ now }: { now: Date }): SessionContext => ({
  ...refreshContext({ now }),
  tenants: dynamoTenantStore,
  throttle: dynamoLoginThrottleStore,
});

/** Creating a tenant (the demo seed) and verifying its address: `signupContext` without its mailer. */
export const tenantContext = ({ now }: { now: Date }): Pick<SignupContext, 'now' | 'tenants'> => ({
  now,
  tenants: dynamoTenantStore,
});

const appUrl = () => process.env.APP_URL ?? 'http://localhost:3000';

/** `log`: where the local outbox notes each mail (the request's log; the process's by default). */
export const signupContext = ({ now, log = logger }: { now: Date; log?: MailLog }): SignupContext => ({
  ...tenantContext({ now }),
  mailer: mailer(log),
  // The web app's page that posts the token.
  verifyUrl: `${appUrl()}/verify-email`,
});

/** Using a reset link: `forgotPasswordContext` without its mailer. */
export const resetPasswordContext = ({
  now,
}: {
  now: Date;
}): Pick<PasswordResetContext, 'now' | 'users' | 'resets' | 'requests'> => ({
  now,
  users: dynamoUserStore,
  resets: dynamoPasswordResetStore,
  requests: countRequest,
});

export const forgotPasswordContext = ({
  now,
  log = logger,
}: {
  now: Date;
  log?: MailLog;
}): PasswordResetContext => ({
  ...resetPasswordContext({ now }),
  tenants: dynamoTenantStore,
  mailer: mailer(log),
  // A hash route of the web app, so any static host serves it.
  resetUrl: `${appUrl().replace(/\/+$/, '')}/#/reset-password`,
});
