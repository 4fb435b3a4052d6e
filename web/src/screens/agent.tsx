import { useEffect, useState } from 'preact/hooks';
import type { Counter, Queue } from '#core/contract/schemas/responses/setup';
import type { Ticket, TicketWithStanding } from '#core/contract/schemas/responses/tickets';
import { get, getAll, newIdempotencyKey, request } from '../api';
import { useClock, useFormat, useT } from '../i18n';
import {
  BranchSelect,
  Card,
  Loading,
  ProblemAlert,
  useAction,
  useBranch,
  useStored,
  WaitingTable,
} from '../ui';
import { useBoard } from './board';

type Action = 'start' | 'complete' | 'no-show' | 'recall';

/**
 * Agent console (role agent): pick a branch and a counter, then Call next, Start, Complete,
 * No-show, Recall or Transfer the current ticket; the branch's waiting counts update by themselves.
 */
export function AgentScreen() {
  const t = useT();
  const format = useFormat();
  const { branches, branch, setBranchId, error: branchError } = useBranch('agent');
  const clock = useClock(branch?.timezone ?? 'UTC');
  const [counterId, setCounterId] = useStored('queueline.agent.counter');
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [message, setMessage] = useState('');
  const [transferTo, setTransferTo] = useState('');
  const [placement, setPlacement] = useState<'keep' | 'back'>('keep');
  const { busy, error, setError, run } = useAction();
  const branchId = branch?.id;
  const { board, error: boardError, refresh: refreshBoard } = useBoard(branchId, 5_000);

  useEffect(() => {
    setCounters(null);
    if (!branchId) return;
    void run(async () => {
      const [c, q] = await Promise.all([
        getAll<Counter>(`/v1/branches/${branchId}/counters`),
        getAll<Queue>(`/v1/branches/${branchId}/queues`),
      ]);
      setCounters(c);
      setQueues(q);
    });
  }, [branchId, run]);

  const counter = counters?.find((c) => c.id === counterId);

  // The counter's current ticket (after a reload, or when another device called for it).
  // Until it is known, the console offers no action for the counter (`ready`).
  const [readyFor, setReadyFor] = useState<string | null>(null);
  useEffect(() => {
    setTicket(null);
    if (!branchId || !counter) return;
    void run(async () => {
      const fresh = await get<Counter>(`/v1/branches/${branchId}/counters/${counter.id}`);
      if (fresh.currentTicketId) {
        const t = await get<TicketWithStanding>(`/v1/branches/${branchId}/tickets/${fresh.currentTicketId}`);
        setTicket(t.ticket);
      }
      setReadyFor(counter.id);
    });
  }, [branchId, counter, run]);
  const ready = !!counter && readyFor === counter.id;

  if (branchError) return <ProblemAlert error={branchError} />;
  if (!branches) return <Loading />;

  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? '';
  const active = ticket && (ticket.status === 'called' || ticket.status === 'serving') ? ticket : null;
  const base = `/v1/branches/${branchId}`;

  const callNext = () =>
    run(async () => {
      if (!counter) return;
      const res = await request<{ ticket: Ticket } | null>(
        'POST',
        `${base}/counters/${counter.id}/call-next`,
        {
          headers: { 'idempotency-key': newIdempotencyKey() },
        },
      );
      if (res.status === 204 || !res.data) {
        setMessage(t('agent.nobodyWaiting'));
      } else {
        setTicket(res.data.ticket);
        setMessage(t('agent.called', { code: res.data.ticket.code }));
      }
      await refreshBoard();
    });

  const act = (action: Action) =>
    run(async () => {
      if (!active) return;
      const { data } = await request<{ ticket: Ticket }>('POST', `${base}/tickets/${active.id}/${action}`, {
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      setTicket(data.ticket);
      setMessage(
        t('agent.changed', {
          code: data.ticket.code,
          status: format.status(data.ticket.status).toLowerCase(),
        }),
      );
      await refreshBoard();
    });

  const transfer = () =>
    run(async () => {
      if (!active || !transferTo) return;
      const { data } = await request<{ ticket: Ticket }>('POST', `${base}/tickets/${active.id}/transfer`, {
        body: { queueId: transferTo, placement },
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      setTicket(null);
      setTransferTo('');
      setMessage(t('agent.moved', { code: data.ticket.code, queue: queueName(data.ticket.queueId) }));
      await refreshBoard();
    });

  return (
    <main id="main" class="page agent">
      <h1>{t('agent.title')}</h1>
      <div class="row">
        <BranchSelect branches={branches} value={branch?.id} onChange={setBranchId} id="agent-branch" />
        {counters ? (
          <label class="field" for="agent-counter">
            <span>{t('agent.counter')}</span>
            <select
              id="agent-counter"
              value={counter?.id ?? ''}
              onChange={(e) => setCounterId(e.currentTarget.value)}
            >
              <option value="" disabled>
                {t('agent.chooseCounter')}
              </option>
              {counters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <ProblemAlert error={error} onDismiss={() => setError(null)} />
      {counter ? (
        <div class="agent-grid">
          <Card title={t('agent.at', { counter: counter.name })}>
            <div class="current" data-testid="agent-current">
              {active ? (
                <>
                  <p class="ticket-code">{active.code}</p>
                  <p>
                    <span class={`badge badge-${active.status}`}>{format.status(active.status)}</span>{' '}
                    {queueName(active.queueId)} · {t('agent.calledAt', { time: clock.time(active.calledAt) })}
                    {active.recalls ? ` · ${t('agent.recalled', { count: active.recalls })}` : ''}
                  </p>
                  {active.customer?.name ? (
                    <p>{t('agent.customer', { name: active.customer.name })}</p>
                  ) : null}
                  {active.note ? <p>{t('agent.note', { note: active.note })}</p> : null}
                </>
              ) : (
                <p class="muted">{t('agent.noCustomer')}</p>
              )}
            </div>
            <p role="status" class="message">
              {message}
            </p>
            <div class="actions">
              <button
                type="button"
                class="primary big"
                disabled={busy || !ready || !!active}
                onClick={() => void callNext()}
              >
                {t('agent.callNext')}
              </button>
              <button
                type="button"
                disabled={busy || active?.status !== 'called'}
                onClick={() => void act('start')}
              >
                {t('agent.start')}
              </button>
              <button type="button" disabled={busy || !active} onClick={() => void act('complete')}>
                {t('agent.complete')}
              </button>
              <button
                type="button"
                disabled={busy || active?.status !== 'called'}
                onClick={() => void act('recall')}
              >
                {t('agent.recall')}
              </button>
              <button
                type="button"
                class="danger"
                disabled={busy || active?.status !== 'called'}
                onClick={() => void act('no-show')}
              >
                {t('agent.noShow')}
              </button>
            </div>
            <fieldset class="transfer" disabled={busy || !active}>
              <legend>{t('agent.transfer')}</legend>
              <label class="field" for="transfer-queue">
                <span>{t('agent.transfer.queue')}</span>
                <select
                  id="transfer-queue"
                  value={transferTo}
                  onChange={(e) => setTransferTo(e.currentTarget.value)}
                >
                  <option value="">{t('agent.transfer.chooseQueue')}</option>
                  {queues
                    .filter((q) => q.id !== active?.queueId && q.status !== 'closed')
                    .map((q) => (
                      <option key={q.id} value={q.id}>
                        {q.name}
                      </option>
                    ))}
                </select>
              </label>
              <label class="field" for="transfer-placement">
                <span>{t('agent.transfer.placement')}</span>
                <select
                  id="transfer-placement"
                  value={placement}
                  aria-describedby={placement === 'back' ? 'transfer-back-hint' : undefined}
                  onChange={(e) => setPlacement(e.currentTarget.value as 'keep' | 'back')}
                >
                  <option value="keep">{t('agent.transfer.keep')}</option>
                  <option value="back">{t('agent.transfer.back')}</option>
                </select>
              </label>
              {placement === 'back' ? (
                <p class="muted" id="transfer-back-hint">
                  {t('agent.transfer.backHint')}
                </p>
              ) : null}
              <button type="button" disabled={!transferTo} onClick={() => void transfer()}>
                {t('agent.transfer.submit')}
              </button>
            </fieldset>
          </Card>
          <Card title={t('agent.waiting')}>
            <ProblemAlert error={boardError} />
            {board ? <WaitingTable queues={board.queues} own={counter.queueIds} /> : <Loading />}
          </Card>
        </div>
      ) : counters ? (
        <p class="muted">{t('agent.chooseCounterFirst')}</p>
      ) : branch ? (
        <Loading />
      ) : null}
    </main>
  );
}
