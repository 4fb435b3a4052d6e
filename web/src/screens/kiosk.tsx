import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Priority, Queue } from '#core/contract/schemas/responses/setup';
import type { TicketWithStanding } from '#core/contract/schemas/responses/tickets';
import { ApiError, getAll, newIdempotencyKey, request } from '../api';
import { useFormat } from '../i18n';
import { QrCode } from '../qr';
import { appUrl, BranchSelect, Loading, ProblemAlert, useBranch, usePolling } from '../ui';
import { shouldPoll, useBranchLive } from '../use-live';

/** Seconds the issued ticket stays on screen before the kiosk is ready for the next customer. */
export const KIOSK_RESET_SECONDS = 20;

/**
 * Kiosk (role kiosk): one big button per open queue of the branch; a tap issues a ticket (one
 * Idempotency-Key per tap, reused if the network drops and the tap is retried), shows its code,
 * position, estimated wait and a QR code of its public status page, then resets itself.
 */
export function KioskScreen() {
  const format = useFormat();
  const { branches, branch, setBranchId, error: branchError } = useBranch('kiosk');
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [priorities, setPriorities] = useState<Priority[]>([]);
  const [preferential, setPreferential] = useState(false);
  const [issued, setIssued] = useState<TicketWithStanding | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const branchId = branch?.id;
  // The waiting counts by push (the branch's board); a queue added or removed reloads the list.
  const live = useBranchLive(branchId, (board) =>
    setQueues((current) => {
      if (!current) return current;
      const counts = new Map(board.queues.map((q) => [q.id, q]));
      if (current.length !== counts.size || current.some((q) => !counts.has(q.id))) void reload();
      return current.map((q) => {
        const count = counts.get(q.id);
        return count ? { ...q, waiting: count.waiting, estimatedWaitSeconds: count.estimatedWaitSeconds } : q;
      });
    }),
  );
  const reload = async () => {
    if (!branchId) return;
    const [q, p] = await Promise.all([
      getAll<Queue>(`/v1/branches/${branchId}/queues`),
      getAll<Priority>('/v1/priorities'),
    ]);
    setQueues(q);
    setPriorities(p);
  };
  const loadError = usePolling(reload, shouldPoll(live) || !queues ? 30_000 : null, [branchId]);

  if (branchError)
    return (
      <Main>
        <ProblemAlert error={branchError} />
      </Main>
    );
  if (!branches)
    return (
      <Main>
        <Loading />
      </Main>
    );
  if (!branch)
    return (
      <Main>
        <h1>Set up this kiosk</h1>
        <BranchSelect branches={branches} value={undefined} onChange={setBranchId} id="kiosk-branch" />
      </Main>
    );

  const rank = new Map(priorities.map((p) => [p.id, p.rank]));
  const urgent = [...priorities].sort((a, b) => a.rank - b.rank)[0];
  const open = (queues ?? [])
    .filter((q) => q.status === 'open')
    .sort(
      (a, b) =>
        (rank.get(a.priorityId) ?? 99) - (rank.get(b.priorityId) ?? 99) || a.name.localeCompare(b.name),
    );

  const issue = async (queue: Queue) => {
    setBusy(queue.id);
    setError(null);
    const key = newIdempotencyKey();
    const body: Record<string, string> = { queueId: queue.id };
    if (preferential && urgent && (rank.get(queue.priorityId) ?? 99) > urgent.rank)
      body.priorityId = urgent.id;
    const send = () =>
      request<TicketWithStanding>('POST', `/v1/branches/${branch.id}/tickets`, {
        body,
        headers: { 'idempotency-key': key },
      });
    try {
      let res: Awaited<ReturnType<typeof send>>;
      try {
        res = await send();
      } catch (e) {
        // The same tap once more, with the same key: never a second ticket.
        if (e instanceof ApiError && e.status === 0) res = await send();
        else throw e;
      }
      setIssued(res.data);
      setPreferential(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (issued) return <IssuedTicket result={issued} onDone={() => setIssued(null)} />;

  return (
    <Main>
      <div class="kiosk-head">
        <h1>Welcome to {branch.name}</h1>
        <p class="lead">Tap the kind of service you need to take a ticket.</p>
      </div>
      <ProblemAlert error={error ?? loadError} onDismiss={error ? () => setError(null) : undefined} />
      {queues === null ? (
        <Loading />
      ) : open.length === 0 ? (
        <p class="lead" role="status">
          No service is open right now.
        </p>
      ) : (
        <div class="kiosk-grid">
          {open.map((q) => {
            const color = priorities.find((p) => p.id === q.priorityId)?.color ?? undefined;
            return (
              <button
                key={q.id}
                type="button"
                class="kiosk-button"
                style={color ? { borderColor: color } : undefined}
                disabled={busy !== null}
                aria-label={`Take a ticket for ${q.name}`}
                aria-describedby={`kiosk-q-${q.id}`}
                onClick={() => void issue(q)}
              >
                <span class="kiosk-name">{q.name}</span>
                <span class="kiosk-meta" id={`kiosk-q-${q.id}`}>
                  {q.waiting} waiting · {q.waiting ? format.wait(q.estimatedWaitSeconds) : 'no wait'}
                </span>
                {busy === q.id ? <span class="kiosk-meta">Printing your ticket…</span> : null}
              </button>
            );
          })}
        </div>
      )}
      {urgent ? (
        <button
          type="button"
          class={preferential ? 'toggle on' : 'toggle'}
          aria-pressed={preferential}
          onClick={() => setPreferential(!preferential)}
        >
          I need preferential attention (elderly, pregnant, disability)
        </button>
      ) : null}
    </Main>
  );
}

function IssuedTicket({ result, onDone }: { result: TicketWithStanding; onDone: () => void }) {
  const format = useFormat();
  const [left, setLeft] = useState(KIOSK_RESET_SECONDS);
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    done.current?.focus();
    const timer = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onDone();
  }, [left, onDone]);
  const { ticket, position, estimatedWaitSeconds } = result;
  const link = appUrl(`/t/${ticket.publicToken}`);
  const ahead = position === null ? null : position - 1;
  return (
    <Main>
      <section class="ticket" aria-labelledby="ticket-title">
        <h1 id="ticket-title">Your ticket</h1>
        <p class="ticket-code" data-testid="ticket-code">
          {ticket.code}
        </p>
        <dl class="facts">
          <div>
            <dt>Position</dt>
            <dd data-testid="ticket-position">
              {position ?? '—'}
              {ahead !== null ? (
                <span class="muted"> ({ahead === 0 ? 'you are next' : `${ahead} ahead of you`})</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Estimated wait</dt>
            <dd data-testid="ticket-wait">
              {ahead === 0 ? 'you are next' : format.wait(estimatedWaitSeconds)}
            </dd>
          </div>
        </dl>
        <div class="qr-box">
          <QrCode value={link} label={`QR code: follow ticket ${ticket.code} on your phone`} />
          <p>Scan to follow your turn on your phone.</p>
          <a class="small" href={link} data-testid="status-link" target="_blank" rel="noopener">
            Open the status page
          </a>
        </div>
        <button ref={done} type="button" class="primary big" onClick={onDone}>
          Done
        </button>
        <p class="muted" aria-live="off">
          This screen resets in {left} s.
        </p>
      </section>
    </Main>
  );
}

function Main({ children }: { children: ComponentChildren }) {
  return (
    <main id="main" class="kiosk">
      {children}
    </main>
  );
}
