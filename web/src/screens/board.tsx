import { useRef, useState } from 'preact/hooks';
import type { Board } from '#core/contract/schemas/responses/tickets';
import { request } from '../api';
import { BranchSelect, formatTime, formatWait, Loading, ProblemAlert, useBranch, usePolling } from '../ui';

export const BOARD_POLL_MS = 3_000;

/** The branch board, polled with If-None-Match: an unchanged board costs a 304 and no rendering. */
export function useBoard(branchId: string | undefined, ms = BOARD_POLL_MS) {
  const [board, setBoard] = useState<Board | null>(null);
  const etag = useRef<string | null>(null);
  const error = usePolling(
    async () => {
      if (!branchId) return;
      const headers: Record<string, string> = etag.current ? { 'if-none-match': etag.current } : {};
      const res = await request<Board>('GET', `/v1/branches/${branchId}/board`, { headers });
      if (res.status === 304) return;
      etag.current = res.headers.get('etag');
      setBoard(res.data);
    },
    ms,
    [branchId],
  );
  const refresh = async () => {
    etag.current = null;
    if (!branchId) return;
    const res = await request<Board>('GET', `/v1/branches/${branchId}/board`);
    etag.current = res.headers.get('etag');
    setBoard(res.data);
  };
  return { board: board?.branchId === branchId ? board : null, error, refresh };
}

/** A call younger than this is highlighted on the board. */
const FRESH_MS = 15_000;

/** Display board (role display): full-screen "now serving" for the waiting room. */
export function BoardScreen() {
  const { branches, branch, setBranchId, error: branchError } = useBranch('board');
  const { board, error } = useBoard(branch?.id);

  if (branchError) return <ProblemAlert error={branchError} />;
  if (!branches) return <Loading />;
  if (!branch)
    return (
      <main id="main" class="page">
        <h1>Set up this display</h1>
        <BranchSelect branches={branches} value={undefined} onChange={setBranchId} id="board-branch" />
      </main>
    );

  const serving = board?.counters ?? [];
  const latest = board?.recentlyCalled[0];
  const now = Date.now();
  return (
    <main id="main" class="board">
      <header class="board-head">
        <h1>{branch.name}</h1>
        <span class="board-clock">{board ? `Business day ${board.businessDay}` : ''}</span>
        <button type="button" class="ghost" onClick={toggleFullscreen} aria-label="Toggle full screen">
          ⛶ Full screen
        </button>
      </header>
      <ProblemAlert error={error} />
      {/* One polite announcement per new call, for people who cannot see the screen. */}
      <p class="sr-only" aria-live="polite">
        {latest ? `${latest.code}, please go to ${latest.counterName}` : ''}
      </p>
      {!board ? (
        <Loading />
      ) : (
        <div class="board-grid">
          <section class="now-serving" aria-labelledby="now-serving">
            <h2 id="now-serving">Now serving</h2>
            <table class="serving-table">
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col">Counter</th>
                </tr>
              </thead>
              <tbody>
                {serving.map((c) => (
                  <tr
                    key={c.id}
                    class={
                      c.current &&
                      c.current.status === 'called' &&
                      now - Date.parse(c.current.calledAt) < FRESH_MS
                        ? 'fresh'
                        : undefined
                    }
                    data-testid={`board-counter-${c.name}`}
                  >
                    <td class="code">{c.current?.code ?? '—'}</td>
                    <td>{c.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="recent" aria-labelledby="recent">
            <h2 id="recent">Recently called</h2>
            {board.recentlyCalled.length === 0 ? (
              <p class="muted">Nobody called yet today.</p>
            ) : (
              <ol>
                {board.recentlyCalled.map((r) => (
                  <li key={`${r.code}-${r.calledAt}`}>
                    <span class="code">{r.code}</span> <span>{r.counterName}</span>{' '}
                    <span class="muted">{formatTime(r.calledAt)}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section class="waiting" aria-labelledby="waiting">
            <h2 id="waiting">Waiting</h2>
            <ul>
              {board.queues.map((q) => (
                <li key={q.id} data-testid={`board-queue-${q.prefix}`}>
                  <span class="queue-name">{q.name}</span>
                  <span class="count">{q.waiting}</span>
                  <span class="muted">
                    {q.next.length ? `Next: ${q.next.join(', ')}` : 'Nobody waiting'}
                    {q.waiting ? ` · ${formatWait(q.estimatedWaitSeconds)}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </main>
  );
}

function toggleFullscreen() {
  if (document.fullscreenElement) void document.exitFullscreen();
  else void document.documentElement.requestFullscreen?.().catch(() => {});
}
