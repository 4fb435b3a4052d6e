import * as z from 'zod/mini';
import { isValidTimeZone } from '#core/domain/business-day';
import type { Permission } from '#core/domain/permissions';
import {
  AGING_MINUTES,
  COLOR,
  hasDuplicates,
  MAX_COUNTER_QUEUES,
  QUEUE_PREFIX,
  RANK,
  TARGET_WAIT_MINUTES,
} from '#core/domain/setup-rules';
import {
  atLeastOneField,
  BranchParams,
  date,
  lazy,
  listOf,
  PageQuery,
  text,
  timestamp,
  ulid,
} from '#core/schemas/common';
import { type ResponseDef, route } from './define';

/**
 * Organisation setup routes (docs/rules.md#organisation-setup): priorities, branches, and each
 * branch's queues and counters. Schemas are `lazy` factories, built on first use: see define.ts.
 */

const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const name = () => text(100);
/** Optional text that `null` clears. */
const clearable = (max: number) => z.optional(z.nullable(text(max)));

// ---- Priorities

const PriorityFields = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: name(),
    rank: int(RANK.min, RANK.max).check(z.meta({ description: '1 = most urgent; ranks need not be unique' })),
    targetWaitMinutes: z.optional(
      int(TARGET_WAIT_MINUTES.min, TARGET_WAIT_MINUTES.max).check(
        z.meta({ description: 'Service-level target for the wait, default 15' }),
      ),
    ),
    color: z.optional(
      z.nullable(z.string().check(z.regex(COLOR), z.meta({ description: '`#RRGGBB`', example: '#1E88E5' }))),
    ),
    description: clearable(500),
  }),
);

export const Priority = /* @__PURE__ */ lazy(() =>
  z
    .object({
      id: ulid('Priority id'),
      name: z.string(),
      rank: z.int(),
      targetWaitMinutes: z.int(),
      color: z.nullable(z.string()),
      description: z.nullable(z.string()),
      createdAt: timestamp(),
      updatedAt: timestamp(),
    })
    .check(z.meta({ id: 'Priority', description: 'A kind of request and its urgency, tenant-wide' })),
);

// ---- Branches

const timezone = () =>
  text(64).check(
    z.refine(isValidTimeZone, 'Unknown IANA time zone'),
    z.meta({ description: 'IANA time zone', example: 'Europe/Madrid' }),
  );

const BranchFields = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: name(),
    timezone: timezone(),
    resetHour: z.optional(
      int(0, 23).check(z.meta({ description: 'Local hour at which the business day starts, default 3' })),
    ),
    agingMinutes: z.optional(
      int(AGING_MINUTES.min, AGING_MINUTES.max).check(
        z.meta({
          description: 'A waiting ticket gains one rank per this many minutes; 0 disables aging; default 15',
        }),
      ),
    ),
    address: clearable(300),
  }),
);

export const Branch = /* @__PURE__ */ lazy(() =>
  z
    .object({
      id: ulid('Branch id'),
      name: z.string(),
      timezone: z.string(),
      resetHour: z.int(),
      agingMinutes: z.int(),
      address: z.nullable(z.string()),
      businessDay: date().check(z.meta({ description: 'The current business day of the branch' })),
      createdAt: timestamp(),
      updatedAt: timestamp(),
    })
    .check(z.meta({ id: 'Branch', description: 'A branch office' })),
);

// ---- Queues

const QUEUE_STATUSES = ['open', 'paused', 'closed'] as const;

const QueueFields = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: name(),
    prefix: z
      .string()
      .check(
        z.regex(QUEUE_PREFIX),
        z.meta({ description: '1–3 uppercase letters, unique in the branch (ticket codes)', example: 'A' }),
      ),
    priorityId: ulid('Priority of the queue’s tickets'),
    status: z.optional(
      z.enum(QUEUE_STATUSES).check(
        z.meta({
          description: 'open (default) | paused: no new tickets | closed: neither issued nor served',
        }),
      ),
    ),
    description: clearable(500),
  }),
);

export const Queue = /* @__PURE__ */ lazy(() =>
  z
    .object({
      id: ulid('Queue id'),
      branchId: ulid('Branch id'),
      name: z.string(),
      prefix: z.string(),
      priorityId: ulid('Priority id'),
      status: z.enum(QUEUE_STATUSES),
      description: z.nullable(z.string()),
      waiting: z.int().check(z.meta({ description: 'Tickets waiting now' })),
      estimatedWaitSeconds: z.nullable(
        z
          .int()
          .check(
            z.meta({ description: 'Wait of a ticket issued now; null when no counter serves the queue' }),
          ),
      ),
      avgServiceSeconds: z
        .int()
        .check(z.meta({ description: 'Observed average service time (300 until observed)' })),
      createdAt: timestamp(),
      updatedAt: timestamp(),
    })
    .check(z.meta({ id: 'Queue', description: 'A queue of a branch, with its live figures' })),
);

// ---- Counters

const CounterFields = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: name(),
    queueIds: z.array(ulid('Queue id')).check(
      z.minLength(1),
      z.maxLength(MAX_COUNTER_QUEUES),
      z.refine((ids) => !hasDuplicates(ids), 'Queue ids must be unique'),
      z.meta({ description: 'The counter’s own queues: queues of the same branch' }),
    ),
    allowStealing: z.optional(
      z.boolean().check(
        z.meta({
          description: 'Call from other queues of the branch when its own are empty; default true',
        }),
      ),
    ),
  }),
);

export const Counter = /* @__PURE__ */ lazy(() =>
  z
    .object({
      id: ulid('Counter id'),
      branchId: ulid('Branch id'),
      name: z.string(),
      queueIds: z.array(ulid('Queue id')),
      allowStealing: z.boolean(),
      currentTicketId: z.nullable(ulid('The called or serving ticket')),
      createdAt: timestamp(),
      updatedAt: timestamp(),
    })
    .check(z.meta({ id: 'Counter', description: 'A desk or window of a branch' })),
);

// ---- The five routes of each resource

/** An update changes at least one field. */
const patchOf = <F extends z.ZodMiniObject>(fields: F) => atLeastOneField(z.partial(fields));

interface Resource<S, F, P, CP> {
  /** The permission module; also names the list function (`list-<module>`). */
  module: 'priorities' | 'branches' | 'queues' | 'counters';
  /** One of them, as in `create-<one>` (function files) and summaries. */
  one: string;
  tag: string;
  collection: string;
  collectionParams: CP;
  item: string;
  itemParams: P;
  /** The create body; PATCH takes any non-empty subset of it. */
  fields: F;
  schema: S;
  conflicts: { create?: string; update?: string; delete?: string };
}

/** Create, list, read, update and delete routes of one resource, alike in everything but their data. */
function crud<
  S extends () => z.ZodMiniType,
  F extends () => z.ZodMiniObject,
  P extends () => z.ZodMiniType,
  CP extends (() => z.ZodMiniType) | undefined,
>(r: Resource<S, F, P, CP>) {
  const common = (action: 'create' | 'read' | 'update' | 'delete') => ({
    tag: r.tag,
    auth: 'bearer' as const,
    permission: `${r.module}:${action}` as Permission,
  });
  const conflict = (description?: string): Record<number, ResponseDef> =>
    description ? { 409: { description } } : {};
  return {
    create: () =>
      route({
        ...common('create'),
        method: 'POST',
        path: r.collection,
        function: `create-${r.one}`,
        summary: `Create a ${r.one}`,
        params: r.collectionParams,
        body: r.fields,
        responses: () => ({
          201: { description: `The new ${r.one}`, schema: r.schema() },
          ...conflict(r.conflicts.create),
        }),
      }),
    list: () =>
      route({
        ...common('read'),
        method: 'GET',
        path: r.collection,
        function: `list-${r.module}`,
        summary: `List ${r.module}`,
        params: r.collectionParams,
        query: PageQuery,
        paginated: true,
        responses: () => ({ 200: { description: `A page of ${r.module}`, schema: listOf(r.schema()) } }),
      }),
    get: () =>
      route({
        ...common('read'),
        method: 'GET',
        path: r.item,
        function: `get-${r.one}`,
        summary: `Read a ${r.one}`,
        params: r.itemParams,
        responses: () => ({ 200: { description: `The ${r.one}`, schema: r.schema() } }),
      }),
    update: () =>
      route({
        ...common('update'),
        method: 'PATCH',
        path: r.item,
        function: `update-${r.one}`,
        summary: `Change some fields of a ${r.one}`,
        params: r.itemParams,
        body: () => patchOf(r.fields()),
        responses: () => ({
          200: { description: `The ${r.one}, changed`, schema: r.schema() },
          ...conflict(r.conflicts.update),
        }),
      }),
    delete: () =>
      route({
        ...common('delete'),
        method: 'DELETE',
        path: r.item,
        function: `delete-${r.one}`,
        summary: `Delete a ${r.one}`,
        params: r.itemParams,
        responses: () => ({ 204: { description: 'Deleted' }, ...conflict(r.conflicts.delete) }),
      }),
  };
}

const priorities = /* @__PURE__ */ crud({
  module: 'priorities',
  one: 'priority',
  tag: 'Priorities',
  collection: '/v1/priorities',
  collectionParams: undefined,
  item: '/v1/priorities/{priorityId}',
  itemParams: /* @__PURE__ */ lazy(() => z.strictObject({ priorityId: ulid('Priority id') })),
  fields: PriorityFields,
  schema: Priority,
  conflicts: { delete: 'A queue uses the priority' },
});

const branches = /* @__PURE__ */ crud({
  module: 'branches',
  one: 'branch',
  tag: 'Branches',
  collection: '/v1/branches',
  collectionParams: undefined,
  item: '/v1/branches/{branchId}',
  itemParams: BranchParams,
  fields: BranchFields,
  schema: Branch,
  conflicts: {
    delete:
      'Tickets wait in its queues, or one of its counters has a called or serving ticket (soft delete: its queues and counters go with it)',
  },
});

const queues = /* @__PURE__ */ crud({
  module: 'queues',
  one: 'queue',
  tag: 'Queues',
  collection: '/v1/branches/{branchId}/queues',
  collectionParams: BranchParams,
  item: '/v1/branches/{branchId}/queues/{queueId}',
  itemParams: /* @__PURE__ */ lazy(() =>
    z.strictObject({ branchId: ulid('Branch id'), queueId: ulid('Queue id') }),
  ),
  fields: QueueFields,
  schema: Queue,
  conflicts: {
    create: 'Another queue of the branch has this prefix',
    update: 'Another queue of the branch has this prefix',
    delete: 'Tickets wait in the queue, or a counter has it among its own queues',
  },
});

const counters = /* @__PURE__ */ crud({
  module: 'counters',
  one: 'counter',
  tag: 'Counters',
  collection: '/v1/branches/{branchId}/counters',
  collectionParams: BranchParams,
  item: '/v1/branches/{branchId}/counters/{counterId}',
  itemParams: /* @__PURE__ */ lazy(() =>
    z.strictObject({ branchId: ulid('Branch id'), counterId: ulid('Counter id') }),
  ),
  fields: CounterFields,
  schema: Counter,
  conflicts: { delete: 'The counter has a called or serving ticket' },
});

export const createPriority = /* @__PURE__ */ priorities.create();
export const listPriorities = /* @__PURE__ */ priorities.list();
export const getPriority = /* @__PURE__ */ priorities.get();
export const updatePriority = /* @__PURE__ */ priorities.update();
export const deletePriority = /* @__PURE__ */ priorities.delete();
export const createBranch = /* @__PURE__ */ branches.create();
export const listBranches = /* @__PURE__ */ branches.list();
export const getBranch = /* @__PURE__ */ branches.get();
export const updateBranch = /* @__PURE__ */ branches.update();
export const deleteBranch = /* @__PURE__ */ branches.delete();
export const createQueue = /* @__PURE__ */ queues.create();
export const listQueues = /* @__PURE__ */ queues.list();
export const getQueue = /* @__PURE__ */ queues.get();
export const updateQueue = /* @__PURE__ */ queues.update();
export const deleteQueue = /* @__PURE__ */ queues.delete();
export const createCounter = /* @__PURE__ */ counters.create();
export const listCounters = /* @__PURE__ */ counters.list();
export const getCounter = /* @__PURE__ */ counters.get();
export const updateCounter = /* @__PURE__ */ counters.update();
export const deleteCounter = /* @__PURE__ */ counters.delete();

/** The area's entries, for the table (index.ts); a function imports its own entry alone. */
export const setupRoutes = {
  createPriority,
  listPriorities,
  getPriority,
  updatePriority,
  deletePriority,
  createBranch,
  listBranches,
  getBranch,
  updateBranch,
  deleteBranch,
  createQueue,
  listQueues,
  getQueue,
  updateQueue,
  deleteQueue,
  createCounter,
  listCounters,
  getCounter,
  updateCounter,
  deleteCounter,
};
