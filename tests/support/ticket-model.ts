import { TICKET_ACTION_RULES, type TicketStatus } from '#tests/support/rules';

/**
 * An in-memory reference model of the ticket rules (docs/rules.md#tickets), written from the
 * rules and independently of core/: it imports nothing from the implementation. The property
 * test (tests/integration/tickets-property.test.ts) runs the same random commands against the
 * model and against the real use cases on DynamoDB Local and compares what it can observe.
 *
 * Where the rules leave a choice open (which of two equally long queues balance takes from),
 * the model does not pick one: it validates the implementation's choice instead.
 */

export type Status = TicketStatus;
export type QueueStatus = 'open' | 'paused' | 'closed';
export type Action = 'start' | 'complete' | 'no-show' | 'recall' | 'cancel';

export interface ModelPriority {
  id: string;
  rank: number;
}

export interface ModelQueue {
  id: string;
  prefix: string;
  priorityId: string;
  /** Creation order: "oldest queue" breaks routing ties. */
  order: number;
  status: QueueStatus;
}

export interface ModelCounter {
  id: string;
  queueIds: string[];
  allowStealing: boolean;
  current: string | null;
}

export interface ModelTicket {
  id: string;
  queueId: string;
  issuedQueueId: string;
  priorityId: string;
  individual: boolean;
  number: number;
  code: string;
  businessDay: string;
  status: Status;
  createdAt: number;
  queuedAt: number;
  calledAt: number | null;
  startedAt: number | null;
  counterId: string | null;
  recalls: number;
  transfers: number;
  /** Placed in its line by sort key on a move, not holding an entry (see brute-force-positions). */
  inserted: boolean;
}

export interface BranchRules {
  timezone: string;
  resetHour: number;
  agingMinutes: number;
}

/** A 4xx the model expects instead of a result. */
export interface Refusal {
  refused: 400 | 409;
  why: string;
}

export const isRefusal = (x: unknown): x is Refusal =>
  typeof x === 'object' && x !== null && 'refused' in (x as Record<string, unknown>);

const DEFAULT_SERVICE_SECONDS = 300;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const AT_COUNTER: ReadonlySet<Status> = new Set(['called', 'serving']);

/** The business day: the branch-local date of (time of issue − resetHour hours). */
export function specBusinessDay(ms: number, rules: Pick<BranchRules, 'timezone' | 'resetHour'>): string {
  return new Date(ms - rules.resetHour * HOUR).toLocaleDateString('sv-SE', { timeZone: rules.timezone });
}

export class TicketModel {
  readonly priorities = new Map<string, ModelPriority>();
  readonly queues = new Map<string, ModelQueue>();
  readonly counters = new Map<string, ModelCounter>();
  readonly tickets = new Map<string, ModelTicket>();
  /** Last number handed out per issuing queue and business day. */
  private readonly numbers = new Map<string, number>();
  /** Observed service per queue (where tickets were completed). */
  private readonly service = new Map<string, { n: number; sum: number }>();

  constructor(
    readonly rules: BranchRules,
    public now: number,
    setup: { priorities: ModelPriority[]; queues: ModelQueue[]; counters: Omit<ModelCounter, 'current'>[] },
  ) {
    for (const p of setup.priorities) this.priorities.set(p.id, { ...p });
    for (const q of setup.queues) this.queues.set(q.id, { ...q });
    for (const c of setup.counters)
      this.counters.set(c.id, { ...c, queueIds: [...c.queueIds], current: null });
  }

  // ---- reading ------------------------------------------------------------------------------

  rankOf(t: ModelTicket): number {
    return this.priorities.get(t.priorityId)!.rank;
  }

  effectiveRank(t: ModelTicket): number {
    const { agingMinutes } = this.rules;
    if (agingMinutes === 0) return this.rankOf(t);
    return this.rankOf(t) - Math.floor(Math.max(0, this.now - t.queuedAt) / (agingMinutes * MINUTE));
  }

  /** Call-next order: lowest effective rank, then earliest queuedAt, then id. */
  before(a: ModelTicket, b: ModelTicket): number {
    return (
      this.effectiveRank(a) - this.effectiveRank(b) ||
      a.queuedAt - b.queuedAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    );
  }

  waitingIn(queueId: string): ModelTicket[] {
    return [...this.tickets.values()]
      .filter((t) => t.status === 'waiting' && t.queueId === queueId)
      .sort((a, b) => this.before(a, b));
  }

  waitingCount(queueId: string): number {
    return this.waitingIn(queueId).length;
  }

  /** Waiting tickets of a queue per rank (what the live counts hold). */
  waitingByRank(queueId: string): Map<number, number> {
    const byRank = new Map<number, number>();
    for (const t of this.waitingIn(queueId))
      byRank.set(this.rankOf(t), (byRank.get(this.rankOf(t)) ?? 0) + 1);
    return byRank;
  }

  servingCounters(queueId: string): number {
    return [...this.counters.values()].filter((c) => c.queueIds.includes(queueId)).length;
  }

  avgServiceSeconds(queueId: string): number {
    const s = this.service.get(queueId);
    return s && s.n > 0 ? Math.round(s.sum / s.n) : DEFAULT_SERVICE_SECONDS;
  }

  estimate(queueId: string, position: number): number | null {
    const counters = this.servingCounters(queueId);
    if (counters === 0) return null;
    return Math.round(((position - 1) * this.avgServiceSeconds(queueId)) / counters);
  }

  /** 1 + the waiting tickets of the same queue that call-next would call before this one. */
  position(ticketId: string): number | null {
    const t = this.tickets.get(ticketId)!;
    if (t.status !== 'waiting') return null;
    return 1 + this.waitingIn(t.queueId).filter((x) => this.before(x, t) < 0).length;
  }

  standing(ticketId: string): { position: number | null; estimatedWaitSeconds: number | null } {
    const position = this.position(ticketId);
    if (position === null) return { position: null, estimatedWaitSeconds: null };
    return { position, estimatedWaitSeconds: this.estimate(this.tickets.get(ticketId)!.queueId, position) };
  }

  businessDay(ms = this.now): string {
    return specBusinessDay(ms, this.rules);
  }

  // ---- commands: each returns what the system must answer, and applies it ------------------

  /** Enqueue with an explicit queue (and maybe an individual priority), or routed by priority. */
  enqueue(
    input: { queueId?: string; priorityId?: string },
    newId: () => string,
  ): Refusal | { ticket: ModelTicket; position: number; estimatedWaitSeconds: number | null } {
    let queue: ModelQueue | undefined;
    let individual: ModelPriority | undefined;
    if (input.queueId) {
      queue = this.queues.get(input.queueId);
      if (!queue) return { refused: 400, why: 'unknown queue' };
      if (queue.status !== 'open') return { refused: 409, why: `queue ${queue.status}` };
      if (input.priorityId) individual = this.priorities.get(input.priorityId);
    } else if (input.priorityId) {
      queue = this.route(input.priorityId);
      if (!queue) return { refused: 409, why: 'no open queue of the priority' };
    } else return { refused: 400, why: 'neither queueId nor priorityId' };

    const businessDay = this.businessDay();
    const key = `${queue.id}|${businessDay}`;
    const number = (this.numbers.get(key) ?? 0) + 1;
    const ticket: ModelTicket = {
      id: newId(),
      queueId: queue.id,
      issuedQueueId: queue.id,
      priorityId: individual?.id ?? queue.priorityId,
      individual: !!individual,
      number,
      code: `${queue.prefix}-${String(number).padStart(3, '0')}`,
      businessDay,
      status: 'waiting',
      createdAt: this.now,
      queuedAt: this.now,
      calledAt: null,
      startedAt: null,
      counterId: null,
      recalls: 0,
      transfers: 0,
      inserted: false,
    };
    this.numbers.set(key, number);
    this.tickets.set(ticket.id, ticket);
    const position = this.position(ticket.id)!;
    return { ticket, position, estimatedWaitSeconds: this.estimate(queue.id, position) };
  }

  /** Automatic routing: open queues of the priority, lowest estimated wait, fewest waiting, oldest. */
  route(priorityId: string): ModelQueue | undefined {
    const wait = (q: ModelQueue) =>
      this.estimate(q.id, this.waitingCount(q.id) + 1) ?? Number.POSITIVE_INFINITY;
    const candidates = [...this.queues.values()].filter(
      (q) => q.priorityId === priorityId && q.status === 'open',
    );
    candidates.sort((a, b) => {
      const byWait = wait(a) - wait(b);
      if (byWait !== 0 && !Number.isNaN(byWait)) return byWait;
      return this.waitingCount(a.id) - this.waitingCount(b.id) || a.order - b.order;
    });
    return candidates[0];
  }

  /** The ticket a counter calls next (null: 204), or a 409 while it holds one. */
  callNext(counterId: string): Refusal | { ticketId: string | null } {
    const counter = this.counters.get(counterId)!;
    if (counter.current) return { refused: 409, why: 'counter busy' };
    const best = (queueIds: string[]) =>
      queueIds
        .filter((id) => this.queues.get(id)!.status !== 'closed')
        .flatMap((id) => this.waitingIn(id))
        .sort((a, b) => this.before(a, b))[0];
    let ticket = best(counter.queueIds);
    if (!ticket && counter.allowStealing) {
      ticket = best([...this.queues.keys()].filter((id) => !counter.queueIds.includes(id)));
    }
    if (!ticket) return { ticketId: null };
    ticket.status = 'called';
    ticket.calledAt = this.now;
    ticket.startedAt = null;
    ticket.counterId = counterId;
    counter.current = ticket.id;
    return { ticketId: ticket.id };
  }

  act(ticketId: string, action: Action): Refusal | { status: Status } {
    const t = this.tickets.get(ticketId)!;
    if (!TICKET_ACTION_RULES[action].from.includes(t.status))
      return { refused: 409, why: `${action} from ${t.status}` };
    switch (action) {
      case 'start':
        t.status = 'serving';
        t.startedAt = this.now;
        break;
      case 'recall':
        t.calledAt = this.now;
        t.recalls++;
        break;
      case 'complete': {
        const from = t.startedAt ?? t.calledAt!;
        const s = this.service.get(t.queueId) ?? { n: 0, sum: 0 };
        s.n++;
        s.sum += Math.max(0, Math.floor((this.now - from) / 1000));
        this.service.set(t.queueId, s);
        this.end(t, 'done');
        break;
      }
      case 'no-show':
        this.end(t, 'no_show');
        break;
      case 'cancel':
        this.end(t, 'cancelled');
        break;
    }
    return { status: t.status };
  }

  /** A finished ticket frees its counter but still says which counter it was at. */
  private end(t: ModelTicket, status: Status) {
    this.freeCounter(t);
    t.status = status;
  }

  private freeCounter(t: ModelTicket) {
    if (AT_COUNTER.has(t.status) && t.counterId) {
      const c = this.counters.get(t.counterId)!;
      if (c.current === t.id) c.current = null;
    }
  }

  /** The transfer rule (also each move of a reassign). */
  transfer(ticketId: string, queueId: string, placement: 'keep' | 'back'): Refusal | { status: Status } {
    const t = this.tickets.get(ticketId)!;
    const target = this.queues.get(queueId)!;
    if (target.status === 'closed') return { refused: 409, why: 'target queue closed' };
    if (!TICKET_ACTION_RULES.transfer.from.includes(t.status))
      return { refused: 409, why: `transfer from ${t.status}` };
    this.move(t, target, placement);
    return { status: t.status };
  }

  private move(t: ModelTicket, target: ModelQueue, placement: 'keep' | 'back') {
    const rankBefore = this.rankOf(t);
    const wasWaitingHere = t.status === 'waiting' && t.queueId === target.id;
    this.freeCounter(t);
    t.counterId = null;
    t.status = 'waiting';
    t.queueId = target.id;
    if (!t.individual) t.priorityId = target.priorityId;
    if (placement === 'back') t.queuedAt = this.now;
    t.transfers++;
    // Waiting on in its own line with its place kept, it keeps its entry (or its insertion).
    if (!(wasWaitingHere && placement === 'keep' && this.rankOf(t) === rankBefore)) t.inserted = true;
  }

  /** Reassign `{ fromQueueId, toQueueId, count? }`: the best `count` waiting, in call order. */
  reassignCount(fromQueueId: string, toQueueId: string, count?: number): Refusal | { moved: string[] } {
    const refusal = this.reassignRefusal(fromQueueId, toQueueId);
    if (refusal) return refusal;
    const waiting = this.waitingIn(fromQueueId);
    const chosen = count === undefined ? waiting : waiting.slice(0, count);
    const target = this.queues.get(toQueueId)!;
    for (const t of chosen) this.move(t, target, 'keep');
    return { moved: chosen.map((t) => t.id) };
  }

  /** Reassign `{ fromQueueId, toQueueId, ticketIds }`: exactly those still waiting in the source. */
  reassignIds(fromQueueId: string, toQueueId: string, ticketIds: string[]): Refusal | { moved: string[] } {
    const refusal = this.reassignRefusal(fromQueueId, toQueueId);
    if (refusal) return refusal;
    const target = this.queues.get(toQueueId)!;
    const moved: string[] = [];
    for (const id of new Set(ticketIds)) {
      const t = this.tickets.get(id)!;
      if (t.status !== 'waiting' || t.queueId !== fromQueueId) continue;
      this.move(t, target, 'keep');
      moved.push(id);
    }
    return { moved };
  }

  private reassignRefusal(fromQueueId: string, toQueueId: string): Refusal | undefined {
    if (fromQueueId === toQueueId) return { refused: 400, why: 'same queue' };
    if (this.queues.get(toQueueId)!.status === 'closed') return { refused: 409, why: 'target queue closed' };
    return undefined;
  }

  /**
   * Balance: the spec fixes what moves (the most recent arrival of a longest queue, to a
   * shortest one, until the counts differ by at most one) but not which of several equally
   * long or short queues. So this checks the implementation's moves step by step and applies
   * them: `moved` in order, and where each one ended (`finalQueue`). Returns the problems found.
   */
  balance(
    queueIds: string[],
    moved: string[],
    finalQueue: (ticketId: string) => string,
  ): Refusal | { problems: string[] } {
    const ids = [...new Set(queueIds)];
    if (ids.length < 2) return { refused: 400, why: 'fewer than two queues' };
    if (ids.some((id) => this.queues.get(id)!.status === 'closed'))
      return { refused: 409, why: 'a closed queue cannot be balanced' };
    const problems: string[] = [];
    const counts = () => ids.map((id) => this.waitingCount(id));
    for (const [step, ticketId] of moved.entries()) {
      const c = counts();
      const max = Math.max(...c);
      const min = Math.min(...c);
      if (max - min <= 1) {
        problems.push(`step ${step}: moved ${ticketId} although counts ${c.join('/')} were balanced`);
        break;
      }
      const t = this.tickets.get(ticketId);
      if (t?.status !== 'waiting' || !ids.includes(t.queueId)) {
        problems.push(`step ${step}: ${ticketId} was not waiting in the given queues`);
        break;
      }
      if (this.waitingCount(t.queueId) !== max)
        problems.push(
          `step ${step}: took from a queue of ${this.waitingCount(t.queueId)}, longest is ${max}`,
        );
      const latest = Math.max(...this.waitingIn(t.queueId).map((x) => x.queuedAt));
      if (t.queuedAt !== latest) problems.push(`step ${step}: ${ticketId} is not the most recent arrival`);
      const to = finalQueue(ticketId);
      if (!ids.includes(to) || to === t.queueId || this.waitingCount(to) !== min)
        problems.push(`step ${step}: moved to a queue of ${this.waitingCount(to)}, shortest is ${min}`);
      this.move(t, this.queues.get(to)!, 'keep');
    }
    const c = counts();
    if (Math.max(...c) - Math.min(...c) > 1) problems.push(`still unbalanced after: ${c.join('/')}`);
    return { problems };
  }

  setQueueStatus(queueId: string, status: QueueStatus) {
    this.queues.get(queueId)!.status = status;
  }

  // ---- invariants of the model itself ------------------------------------------------------

  /** Numbers per issuing queue and business day are exactly 1..n; codes are unique there. */
  numberingProblems(): string[] {
    const byKey = new Map<string, number[]>();
    for (const t of this.tickets.values()) {
      const key = `${t.issuedQueueId}|${t.businessDay}`;
      byKey.set(key, [...(byKey.get(key) ?? []), t.number]);
    }
    const problems: string[] = [];
    for (const [key, numbers] of byKey) {
      const sorted = [...numbers].sort((a, b) => a - b);
      if (sorted.some((n, i) => n !== i + 1)) problems.push(`${key}: numbers ${sorted.join(',')}`);
    }
    return problems;
  }

  /** Each counter holds at most its one called/serving ticket, and that ticket points back. */
  counterProblems(): string[] {
    const problems: string[] = [];
    for (const t of this.tickets.values()) {
      if (AT_COUNTER.has(t.status) && (!t.counterId || this.counters.get(t.counterId)!.current !== t.id))
        problems.push(`${t.id} is ${t.status} but no counter holds it`);
      if (t.status === 'waiting' && t.counterId !== null) problems.push(`${t.id} waits at ${t.counterId}`);
    }
    for (const c of this.counters.values()) {
      const held = c.current ? this.tickets.get(c.current) : undefined;
      if (c.current && (!held || !AT_COUNTER.has(held.status) || held.counterId !== c.id))
        problems.push(`${c.id} holds ${c.current}, which is not at it`);
    }
    return problems;
  }
}
