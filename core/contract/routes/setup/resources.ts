import * as z from 'zod/mini';
import { type ResponseDef, type ResponseName, route } from '#core/contract/define';
import { atLeastOneField, branchParams, counterParams, pageQuery } from '#core/contract/schemas/common';
import {
  branchFields,
  counterFields,
  priorityFields,
  priorityParams,
  queueFields,
  queueParams,
} from '#core/contract/schemas/requests/setup';
import type { Permission } from '#core/domain/permissions';

/**
 * Priorities, branches, and each branch's queues and counters: five routes per resource
 * (create, list, read, update, delete), alike in everything but their data.
 */
interface Resource<
  F extends z.ZodMiniObject,
  P extends z.ZodMiniType,
  CP extends (() => z.ZodMiniType) | undefined,
> {
  /** The permission module; also names the list function (`list-<module>`). */
  module: 'priorities' | 'branches' | 'queues' | 'counters';
  /** One of them, as in `create-<one>` (function files) and summaries. */
  one: string;
  tag: string;
  collection: string;
  collectionParams: CP;
  item: string;
  itemParams: () => P;
  /** The create body; PATCH takes any non-empty subset of it. */
  fields: () => F;
  schema: ResponseName;
  page: ResponseName;
  conflicts: { create?: string; update?: string; delete?: string };
}

export const priorities = {
  module: 'priorities',
  one: 'priority',
  tag: 'Priorities',
  collection: '/v1/priorities',
  collectionParams: undefined,
  item: '/v1/priorities/{priorityId}',
  itemParams: priorityParams,
  fields: priorityFields,
  schema: 'Priority',
  page: 'PriorityPage',
  conflicts: { delete: 'A queue uses the priority' },
} as const;

export const branches = {
  module: 'branches',
  one: 'branch',
  tag: 'Branches',
  collection: '/v1/branches',
  collectionParams: undefined,
  item: '/v1/branches/{branchId}',
  itemParams: branchParams,
  fields: branchFields,
  schema: 'Branch',
  page: 'BranchPage',
  conflicts: {
    delete:
      'Tickets wait in its queues, or one of its counters has a called or serving ticket (soft delete: its queues and counters go with it)',
  },
} as const;

export const queues = {
  module: 'queues',
  one: 'queue',
  tag: 'Queues',
  collection: '/v1/branches/{branchId}/queues',
  collectionParams: branchParams,
  item: '/v1/branches/{branchId}/queues/{queueId}',
  itemParams: queueParams,
  fields: queueFields,
  schema: 'Queue',
  page: 'QueuePage',
  conflicts: {
    create: 'Another queue of the branch has this prefix',
    update: 'Another queue of the branch has this prefix',
    delete: 'Tickets wait in the queue, or a counter has it among its own queues',
  },
} as const;

export const counters = {
  module: 'counters',
  one: 'counter',
  tag: 'Counters',
  collection: '/v1/branches/{branchId}/counters',
  collectionParams: branchParams,
  item: '/v1/branches/{branchId}/counters/{counterId}',
  itemParams: counterParams,
  fields: counterFields,
  schema: 'Counter',
  page: 'CounterPage',
  conflicts: { delete: 'The counter has a called or serving ticket' },
} as const;

type AnyResource = Resource<z.ZodMiniObject, z.ZodMiniType, (() => z.ZodMiniType) | undefined>;

// What a resource's schema builders build, so that its handlers see the real types.
type Fields<R extends AnyResource> = ReturnType<R['fields']>;
type ItemParams<R extends AnyResource> = ReturnType<R['itemParams']>;
/** Nothing for the tenant-wide resources. */
type CollectionParams<R extends AnyResource> = R['collectionParams'] extends () => infer S
  ? S & z.ZodMiniType
  : undefined;

const common = (r: AnyResource, action: 'create' | 'read' | 'update' | 'delete') => ({
  tag: r.tag,
  auth: 'bearer' as const,
  permission: `${r.module}:${action}` as Permission,
});

const conflict = (description?: string): Record<number, ResponseDef> =>
  description ? { 409: { description } } : {};

export const createEntry = <R extends AnyResource>(r: R) =>
  route({
    ...common(r, 'create'),
    method: 'POST',
    path: r.collection,
    function: `create-${r.one}`,
    summary: `Create a ${r.one}`,
    params: r.collectionParams?.() as CollectionParams<R>,
    body: r.fields() as Fields<R>,
    responses: {
      201: { description: `The new ${r.one}`, schema: r.schema },
      ...conflict(r.conflicts.create),
    },
  });

export const listEntry = <R extends AnyResource>(r: R) =>
  route({
    ...common(r, 'read'),
    method: 'GET',
    path: r.collection,
    function: `list-${r.module}`,
    summary: `List ${r.module}`,
    params: r.collectionParams?.() as CollectionParams<R>,
    query: pageQuery(),
    paginated: true,
    responses: { 200: { description: `A page of ${r.module}`, schema: r.page } },
  });

export const getEntry = <R extends AnyResource>(r: R) =>
  route({
    ...common(r, 'read'),
    method: 'GET',
    path: r.item,
    function: `get-${r.one}`,
    summary: `Read a ${r.one}`,
    params: r.itemParams() as ItemParams<R>,
    responses: { 200: { description: `The ${r.one}`, schema: r.schema } },
  });

export const updateEntry = <R extends AnyResource>(r: R) =>
  route({
    ...common(r, 'update'),
    method: 'PATCH',
    path: r.item,
    function: `update-${r.one}`,
    summary: `Change some fields of a ${r.one}`,
    params: r.itemParams() as ItemParams<R>,
    body: atLeastOneField(z.partial(r.fields() as Fields<R>)),
    responses: {
      200: { description: `The ${r.one}, changed`, schema: r.schema },
      ...conflict(r.conflicts.update),
    },
  });

export const deleteEntry = <R extends AnyResource>(r: R) =>
  route({
    ...common(r, 'delete'),
    method: 'DELETE',
    path: r.item,
    function: `delete-${r.one}`,
    summary: `Delete a ${r.one}`,
    params: r.itemParams() as ItemParams<R>,
    responses: { 204: { description: 'Deleted' }, ...conflict(r.conflicts.delete) },
  });
