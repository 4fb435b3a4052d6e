import { useEffect, useRef, useState } from 'preact/hooks';
import type { Branch } from '#core/contract/schemas/responses/setup';
import type { Board } from '#core/contract/schemas/responses/tickets';
import { type Clock as BranchClock, localeOf } from '#core/i18n/format';
import { callAnnouncement } from '../announcements';
import { announce, silence, unlockAudio } from '../announcer';
import { request } from '../api';
import { BrandBand, hasBranding, useStaffBranding } from '../branding';
import { LanguageProvider, useClock, useFormat, useT } from '../i18n';
import { BranchSelect, Loading, ProblemAlert, useBranch, usePolling, useStored } from '../ui';
import { shouldPoll, useBranchLive } from '../use-live';

export const BOARD_POLL_MS = 3_000;

/**
 * The branch board by push (its branch channel); polled with If-None-Match only while the channel
 * is not live (an unchanged board then costs a 304 and no rendering).
 */
export function useBoard(branchId: string | undefined, ms = BOARD_POLL_MS) {
  const [board, setBoard] = useState<Board | null>(null);
  const etag = useRef<string | null>(null);
  const live = useBranchLive(branchId, (b) => {
    etag.current = null; // the next poll, if any, reads it whole
    setBoard(b);
  });
  const error = usePolling(
    async () => {
      if (!branchId) return;
      const headers: Record<string, string> = etag.current ? { 'if-none-match': etag.current } : {};
      const res = await request<Board>('GET', `/v1/branches/${branchId}/board`, { headers });
      if (res.status === 304) return;
      etag.current = res.headers.get('etag');
      setBoard(res.data);
    },
    shouldPoll(live) ? ms : null,
    [branchId],
  );
  /** After the screen's own action: read the board now, unless the branch channel brings it anyway. */
  const refresh = async () => {
    etag.current = null;
    if (!branchId || live) return;
    const res = await request<Board>('GET', `/v1/branches/${branchId}/board`);
    etag.current = res.headers.get('etag');
    setBoard(res.data);
  };
  return { board: board?.branchId === branchId ? board : null, error: live ? null : error, refresh };
}

/** A call younger than this is highlighted on the board. */
const FRESH_MS = 15_000;
/** Rows of "now serving" at full size (codes 14 % of the screen height); more rows share the room. */
const FULL_SIZE_ROWS = 4;
/** Calls said at once when several arrive together (e.g. after a lost connection): the newest. */
const MAX_ANNOUNCED = 3;
const RECENT_SHOWN = 6;
const MUTED_KEY = 'queueline.board.muted';

type Call = Board['recentlyCalled'][number];
const callKey = (c: Call) => `${c.code}|${c.counterName}|${c.calledAt}`;

/**
 * Says every call that appears on the board after it was first shown (a recall is a new call):
 * the calls already there when the board opens, or switches branch, are not said again.
 */
function useCallAnnouncements(board: Board | null, language: string, muted: boolean) {
  const seen = useRef<{ branchId: string; keys: Set<string> } | null>(null);
  useEffect(() => {
    if (!board) return;
    const before = seen.current?.branchId === board.branchId ? seen.current.keys : null;
    seen.current = { branchId: board.branchId, keys: new Set(board.recentlyCalled.map(callKey)) };
    if (!before || muted) return;
    const fresh = board.recentlyCalled.filter((c) => !before.has(callKey(c))).slice(0, MAX_ANNOUNCED);
    for (const call of fresh.reverse()) {
      announce(callAnnouncement(call.code, call.counterName, language), language);
    }
  }, [board]);
  useEffect(() => {
    if (muted) silence();
  }, [muted]);
  // Browsers allow sound after a gesture: the sign-in gave one; after a reload any tap does.
  useEffect(() => {
    unlockAudio();
    document.addEventListener('pointerdown', unlockAudio);
    document.addEventListener('keydown', unlockAudio);
    return () => {
      document.removeEventListener('pointerdown', unlockAudio);
      document.removeEventListener('keydown', unlockAudio);
    };
  }, []);
}

function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Display board (role display): full-screen "now serving" for the waiting room, spoken too — in
 * the branch's language and time zone, whatever the display's (it has no language switcher: the
 * whole waiting room reads it).
 */
export function BoardScreen() {
  const { branches, branch, setBranchId, error: branchError } = useBranch('board');
  const t = useT();

  if (branchError) return <ProblemAlert error={branchError} />;
  if (!branches) return <Loading />;
  if (!branch)
    return (
      <main id="main" class="page">
        <h1>{t('board.setUp')}</h1>
        <BranchSelect branches={branches} value={undefined} onChange={setBranchId} id="board-branch" />
      </main>
    );
  return (
    <LanguageProvider lang={branch.language}>
      <BranchBoard branch={branch} />
    </LanguageProvider>
  );
}

function BranchBoard({ branch }: { branch: Branch }) {
  const t = useT();
  const format = useFormat();
  const clock = useClock(branch.timezone);
  const { board, error } = useBoard(branch.id);
  const branding = useStaffBranding();
  const [muted, setMuted] = useStored(MUTED_KEY);
  const language = localeOf(branch.language);
  useCallAnnouncements(board, language, muted === '1');
  const now = useNow(FRESH_MS / 3);

  const serving = (board?.counters ?? []).filter((c) => c.current);
  const latest = board?.recentlyCalled[0];
  return (
    <main id="main" class="board" lang={language}>
      {hasBranding(branding) ? <BrandBand branding={branding} fallbackName={branch.name} /> : null}
      <header class="board-head">
        <h1>{branch.name}</h1>
        <Clock clock={clock} />
      </header>
      <ProblemAlert error={error} />
      {/* One polite announcement per new call, for people who cannot see the screen. */}
      <p class="sr-only" aria-live="polite">
        {latest ? callAnnouncement(latest.code, latest.counterName, language) : ''}
      </p>
      {!board ? (
        <Loading />
      ) : (
        <div class="board-grid">
          <section
            class="now-serving"
            aria-labelledby="now-serving"
            style={{ '--rows': Math.max(serving.length, FULL_SIZE_ROWS) }}
          >
            <h2 id="now-serving">{t('board.title')}</h2>
            {serving.length === 0 ? (
              <p class="muted">{t('board.nobodyCalled')}</p>
            ) : (
              <table class="serving-table">
                <thead>
                  <tr>
                    <th scope="col">{t('board.ticket')}</th>
                    <th scope="col">{t('board.counter')}</th>
                  </tr>
                </thead>
                <tbody>
                  {serving.map((c) => (
                    <tr
                      key={c.id}
                      class={
                        c.current?.status === 'called' && now - Date.parse(c.current.calledAt) < FRESH_MS
                          ? 'fresh'
                          : undefined
                      }
                      data-testid={`board-counter-${c.name}`}
                    >
                      <td>
                        <span class="code">{c.current?.code}</span>
                      </td>
                      <td class="counter">{c.name}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <div class="board-side">
            <section class="recent" aria-labelledby="recent">
              <h2 id="recent">{t('board.recent')}</h2>
              {board.recentlyCalled.length === 0 ? (
                <p class="muted">{t('board.nobodyCalledToday')}</p>
              ) : (
                <ol>
                  {board.recentlyCalled.slice(0, RECENT_SHOWN).map((r) => (
                    <li key={`${r.code}-${r.calledAt}`}>
                      <span class="code">{r.code}</span> <span>{r.counterName}</span>{' '}
                      <span class="muted">{clock.time(r.calledAt)}</span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section class="waiting" aria-labelledby="waiting">
              <h2 id="waiting">{t('board.waiting')}</h2>
              <ul>
                {board.queues.map((q) => (
                  <li key={q.id} data-testid={`board-queue-${q.prefix}`}>
                    <span class="queue-name">{q.name}</span>
                    <span class="count">{q.waiting}</span>
                    <span class="muted">
                      {q.next.length
                        ? t('board.next', { codes: q.next.join(', ') })
                        : t('board.nobodyWaiting')}
                      {q.waiting ? ` · ${format.wait(q.estimatedWaitSeconds)}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          </div>
        </div>
      )}
      <footer class="board-controls">
        <button
          type="button"
          class="ghost"
          aria-pressed={muted === '1'}
          onClick={() => {
            unlockAudio();
            setMuted(muted === '1' ? '' : '1');
          }}
        >
          <SpeakerIcon muted={muted === '1'} /> {t('board.mute')}
        </button>
        <FullScreenButton />
      </footer>
    </main>
  );
}

/** The branch's time and date, in its time zone and language, whatever the display's. */
function Clock({ clock }: { clock: BranchClock }) {
  const now = useNow(1_000);
  return (
    <p class="board-clock">
      <time class="time" dateTime={new Date(now).toISOString()}>
        {clock.time(now)}
      </time>
      <span class="day">{clock.day(now)}</span>
    </p>
  );
}

function FullScreenButton() {
  const t = useT();
  const [full, setFull] = useState(() => document.fullscreenElement !== null);
  useEffect(() => {
    const onChange = () => setFull(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  if (!document.fullscreenEnabled) return null; // e.g. an iPhone: nothing to offer
  return (
    <button
      type="button"
      class="ghost"
      onClick={() => {
        unlockAudio();
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
        else void document.documentElement.requestFullscreen().catch(() => {});
      }}
    >
      <FullScreenIcon exit={full} /> {full ? t('board.exitFullScreen') : t('board.fullScreen')}
    </button>
  );
}

// Inline SVG icons: drawn the same on every system, unlike symbol glyphs missing from its fonts.

/** A 24 × 24 line icon beside a button's text, hidden from screen readers (the text names it). */
function Icon({ d }: { d: string }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      stroke-width={2}
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={d} />
    </svg>
  );
}

const FullScreenIcon = ({ exit }: { exit: boolean }) => (
  <Icon d={exit ? 'M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5' : 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5'} />
);

const SpeakerIcon = ({ muted }: { muted: boolean }) => (
  <Icon
    d={`M4 9h4l5-4v14l-5-4H4z ${muted ? 'M16 9l5 6M21 9l-5 6' : 'M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12'}`}
  />
);
