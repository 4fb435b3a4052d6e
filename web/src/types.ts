/** The shapes of the public HTTP API that the app reads (docs/rules.md; GET /openapi.json). */

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled' | 'expired';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  username: string;
  fullName: string;
  email: string | null;
  roleId: string;
  branchIds: string[] | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SessionBody {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

export interface Role {
  id: string;
  name: string;
  permissions: string[];
  builtIn: boolean;
}

export interface Priority {
  id: string;
  name: string;
  rank: number;
  targetWaitMinutes: number;
  color: string | null;
  description: string | null;
}

export interface Branch {
  id: string;
  name: string;
  timezone: string;
  resetHour: number;
  agingMinutes: number;
  address: string | null;
  businessDay: string;
}

export type QueueStatus = 'open' | 'paused' | 'closed';

export interface Queue {
  id: string;
  branchId: string;
  name: string;
  prefix: string;
  priorityId: string;
  status: QueueStatus;
  description: string | null;
  waiting: number;
  estimatedWaitSeconds: number | null;
  avgServiceSeconds: number;
}

export interface Counter {
  id: string;
  branchId: string;
  name: string;
  queueIds: string[];
  allowStealing: boolean;
  currentTicketId: string | null;
}

export interface Ticket {
  id: string;
  branchId: string;
  queueId: string;
  priorityId: string;
  number: number;
  code: string;
  businessDay: string;
  status: TicketStatus;
  customer: { name?: string; phone?: string; email?: string; reference?: string } | null;
  note: string | null;
  createdAt: string;
  queuedAt: string;
  calledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  counterId: string | null;
  servedBy: string | null;
  recalls: number;
  transfers: Array<{ fromQueueId: string; toQueueId: string; at: string; by: string }>;
  publicToken: string;
}

export interface TicketWithStanding {
  ticket: Ticket;
  position: number | null;
  estimatedWaitSeconds: number | null;
}

export interface Board {
  branchId: string;
  businessDay: string;
  queues: Array<{
    id: string;
    name: string;
    prefix: string;
    waiting: number;
    estimatedWaitSeconds: number | null;
    next: string[];
  }>;
  counters: Array<{
    id: string;
    name: string;
    current: { code: string; status: 'called' | 'serving'; calledAt: string } | null;
  }>;
  recentlyCalled: Array<{ code: string; counterName: string; calledAt: string }>;
}

export interface PublicStatus {
  code: string;
  status: TicketStatus;
  queueName: string | null;
  position: number | null;
  estimatedWaitSeconds: number | null;
  counterName: string | null;
  calledAt: string | null;
}

export interface Stats {
  issued: number;
  served: number;
  noShow: number;
  cancelled: number;
  expired: number;
  avgWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  maxWaitSeconds: number | null;
  avgServiceSeconds: number | null;
  withinTargetPct: number | null;
}

export type GroupBy = 'day' | 'queue' | 'priority' | 'counter' | 'agent' | 'hour';

export interface Report {
  branchId: string;
  from: string;
  to: string;
  groupBy: GroupBy;
  totals: Stats;
  groups: Array<Stats & { key: string; label: string }>;
}

export interface CloseDayResult {
  businessDay: string;
  expired: number;
  nextBusinessDay: string;
}

export interface Reassigned {
  moved: string[];
  count: number;
  /** Still to move: one request moves at most 100. */
  remaining: number;
}
