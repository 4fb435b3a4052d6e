import type { Actor } from '#core/domain/actor';
import { NotFoundError } from '#core/domain/errors';
import { queueEstimate } from '#core/domain/estimates';
import type { NotifyChannel } from '#core/domain/notify';
import { waitingCount } from '#core/domain/setup';
import { byDisplayOrder } from '#core/domain/setup-rules';
import type { Customer, TicketSource, TicketStatus } from '#core/domain/ticket';
import type { PublicBranchStore } from '#core/ports/remote-join';
import { type BrandingView, publicBranding } from '#core/usecases/tenant/branding';
import type { PublicTicketContext, TicketContext } from './context';
import { issueTicket } from './enqueue';

/** The join page's side (docs/rules.md#remote-join): no account, only the branch's id. */
export interface RemoteJoinContext extends PublicTicketContext {
  branches: PublicBranchStore;
}

export interface PublicBranch {
  name: string;
  timezone: string;
  language: string;
  queues: Array<{
    id: string;
    name: string;
    description: string | null;
    waiting: number;
    estimatedWaitSeconds: number | null;
  }>;
  branding: BrandingView;
}

export interface RemoteTicket {
  code: string;
  status: TicketStatus;
  queueName: string;
  publicToken: string;
  source: TicketSource;
  createdAt: string;
  customer: Customer | null;
}

export interface RemoteJoined {
  ticket: RemoteTicket;
  position: number;
  estimatedWaitSeconds: number | null;
}

export interface RemoteJoinInput {
  branchId: string;
  queueId: string;
  customer?: Pick<Customer, 'name' | 'phone' | 'email'>;
  /** Near-turn and called messages by SMS / email, as on enqueue. */
  notify?: NotifyChannel[];
}

/** The tenant of a branch that takes remote joins: 404 for any other id (unknown, deleted, off). */
async function tenantOf(ctx: RemoteJoinContext, branchId: string): Promise<string> {
  const tenantId = await ctx.branches.tenantOf(branchId);
  if (!tenantId) throw new NotFoundError('Branch');
  return tenantId;
}

/**
 * Who a remote join acts as: the branch's own join page, which may issue tickets in that branch
 * and nothing else. The tenant comes from the branch's public handle, never from the request.
 */
const joinPage = (tenantId: string, branchId: string): Actor => ({
  tenantId,
  userId: 'join-page',
  roleId: 'join-page',
  permissions: ['tickets:create'],
  branches: [branchId],
});

/**
 * `GET /v1/public/branches/{branchId}`: what the join page shows — the branch and its open
 * queues (the ones a remote ticket can join) in their display order, with how many wait and
 * how long a newcomer would. Two steps: the public handle, then the branch's setup and,
 * beside it, the organisation's branding.
 */
export async function publicBranch(
  ctx: RemoteJoinContext,
  { branchId }: { branchId: string },
): Promise<PublicBranch> {
  const tenantId = await tenantOf(ctx, branchId);
  const [setup, branding] = await Promise.all([
    ctx.setups.load(tenantId, branchId),
    publicBranding(ctx, tenantId),
  ]);
  const { branch } = setup;
  if (!branch.remoteJoin.enabled) throw new NotFoundError('Branch');
  return {
    branding,
    name: branch.name,
    timezone: branch.timezone,
    language: branch.language,
    queues: setup.queues
      .filter((q) => q.status === 'open')
      .sort(byDisplayOrder)
      .map((q) => ({
        id: q.id,
        name: q.name,
        description: q.description,
        waiting: waitingCount(q.live),
        estimatedWaitSeconds: queueEstimate(setup, q),
      })),
  };
}

/**
 * `POST /v1/public/branches/{branchId}/tickets`: the customer takes a ticket from afar. The one
 * enqueue path issues it, as `remote`: its transaction counts it among the branch's waiting
 * remote tickets on condition that they are fewer than `remoteJoin.maxWaiting` (409 otherwise).
 */
export async function remoteJoin(ctx: RemoteJoinContext, input: RemoteJoinInput): Promise<RemoteJoined> {
  const tenantId = await tenantOf(ctx, input.branchId);
  const ticketContext: TicketContext = { ...ctx, actor: joinPage(tenantId, input.branchId) };
  const issued = await issueTicket(ticketContext, {
    branchId: input.branchId,
    queueId: input.queueId,
    customer: input.customer ?? null,
    source: 'remote',
    notify: input.notify,
  });
  const { ticket } = issued;
  return {
    ticket: {
      code: ticket.code,
      status: ticket.status,
      queueName: issued.queueName,
      publicToken: ticket.publicToken,
      source: ticket.source,
      createdAt: ticket.createdAt,
      customer: ticket.customer,
    },
    position: issued.position,
    estimatedWaitSeconds: issued.estimatedWaitSeconds,
  };
}
