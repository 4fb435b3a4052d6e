import * as z from 'zod/mini';
import { date, listOf, timestamp, ulid } from '#core/contract/schemas/common';
import { QUEUE_STATUSES } from '#core/contract/schemas/requests/setup';

/** What the organisation setup routes answer. */

export const Priority = z
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
  .check(z.meta({ id: 'Priority', description: 'A kind of request and its urgency, tenant-wide' }));
export type Priority = z.output<typeof Priority>;

export const PriorityPage = listOf(Priority);

export const Branch = z
  .object({
    id: ulid('Branch id'),
    name: z.string(),
    timezone: z.string(),
    resetHour: z.int(),
    agingMinutes: z.int(),
    address: z.nullable(z.string()),
    language: z
      .string()
      .check(z.meta({ description: 'BCP 47 language of the customer screens and messages' })),
    printTickets: z.boolean(),
    notifyAtPosition: z.int(),
    remoteJoin: z.object({ enabled: z.boolean(), maxWaiting: z.nullable(z.int()) }),
    contactRetentionHours: z.int(),
    businessDay: date().check(z.meta({ description: 'The current business day of the branch' })),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .check(z.meta({ id: 'Branch', description: 'A branch office' }));
export type Branch = z.output<typeof Branch>;

export const BranchPage = listOf(Branch);

export const Queue = z
  .object({
    id: ulid('Queue id'),
    branchId: ulid('Branch id'),
    name: z.string(),
    prefix: z.string(),
    priorityId: ulid('Priority id'),
    status: z.enum(QUEUE_STATUSES),
    description: z.nullable(z.string()),
    displayOrder: z.nullable(z.int()),
    waiting: z.int().check(z.meta({ description: 'Tickets waiting now' })),
    estimatedWaitSeconds: z.nullable(
      z
        .int()
        .check(z.meta({ description: 'Wait of a ticket issued now; null when no counter serves the queue' })),
    ),
    avgServiceSeconds: z
      .int()
      .check(z.meta({ description: 'Observed average service time (300 until observed)' })),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .check(z.meta({ id: 'Queue', description: 'A queue of a branch, with its live figures' }));
export type Queue = z.output<typeof Queue>;

export const QueuePage = listOf(Queue);

export const Counter = z
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
  .check(z.meta({ id: 'Counter', description: 'A desk or window of a branch' }));
export type Counter = z.output<typeof Counter>;

export const CounterPage = listOf(Counter);
