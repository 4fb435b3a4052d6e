import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Branch, Priority, Queue } from '#core/contract/schemas/responses/setup';
import type { Branding } from '#core/contract/schemas/responses/tenant';
import type { TicketWithStanding } from '#core/contract/schemas/responses/tickets';
import { smsNumber } from '#core/domain/contact';
import { byDisplayOrder } from '#core/domain/setup-rules';
import type { Language } from '#core/i18n/index';
import {
  ApiError,
  currentSession,
  getAll,
  leaveWithPassword,
  newIdempotencyKey,
  request,
  retryMinutes,
} from '../api';
import { BrandBand, brandStyle, useStaffBranding } from '../branding';
import {
  LanguageProvider,
  LanguageSwitcher,
  useCustomerLanguage,
  useFormat,
  useLanguage,
  useT,
} from '../i18n';
import { QrCode } from '../qr';
import { appUrl, BranchSelect, Loading, ProblemAlert, useBranch, usePolling } from '../ui';
import { shouldPoll, useBranchLive } from '../use-live';

/** Seconds the issued ticket stays on screen before the kiosk is ready for the next customer. */
export const KIOSK_RESET_SECONDS = 20;

/**
 * The lobby kiosk (role kiosk; docs/kiosk.md): one big button per open queue of the branch, in
 * the queues' display order with their descriptions; a tap issues a ticket (one Idempotency-Key
 * per tap, reused if the network drops and the tap is retried), shows its code, position,
 * estimated wait and a QR code of its status page — printed when the branch prints tickets —
 * then resets itself for the next customer: the branch's language, normal text, no phone number.
 *
 * A kiosk-role session shows nothing else (app.tsx: no navigation, no sign-out, no link away);
 * staff leave it with the kiosk account's password (`StaffExit`).
 */
export function KioskScreen() {
  const t = useT();
  const { branches, branch, setBranchId, error: branchError } = useBranch('kiosk');
  const branding = useStaffBranding();
  if (branchError)
    return (
      <Main>
        <ProblemAlert error={branchError} />
        <StaffExit />
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
        <h1>{t('kiosk.setUp')}</h1>
        <BranchSelect branches={branches} value={undefined} onChange={setBranchId} id="kiosk-branch" />
        <StaffExit />
      </Main>
    );
  return <BranchKiosk key={branch.id} branch={branch} branding={branding} />;
}

function BranchKiosk({ branch, branding }: { branch: Branch; branding: Branding | null }) {
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [priorities, setPriorities] = useState<Priority[]>([]);
  // Each customer starts afresh (the branch's language, normal text): a new visit, a new state.
  const [visit, setVisit] = useState(0);

  // The waiting counts by push (the branch's board); a queue added or removed reloads the list.
  const live = useBranchLive(branch.id, (board) =>
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
    const [q, p] = await Promise.all([
      getAll<Queue>(`/v1/branches/${branch.id}/queues`),
      getAll<Priority>('/v1/priorities'),
    ]);
    setQueues(q);
    setPriorities(p);
  };
  const loadError = usePolling(reload, shouldPoll(live) || !queues ? 30_000 : null, [branch.id]);

  return (
    <Visit
      key={visit}
      branch={branch}
      branding={branding}
      queues={queues}
      priorities={priorities}
      loadError={loadError}
      // Right after each ticket, whatever the push channel does: the next customer sees it counted.
      onIssued={() => void reload().catch(() => {})}
      onDone={() => setVisit((v) => v + 1)}
    />
  );
}

interface VisitProps {
  branch: Branch;
  branding: Branding | null;
  queues: Queue[] | null;
  priorities: Priority[];
  loadError: unknown;
  onIssued: () => void;
  onDone: () => void;
}

/** One customer's turn at the kiosk, in the language they choose (the branch's by default). */
function Visit(props: VisitProps) {
  const [language, setLanguage] = useCustomerLanguage(props.branch.language);
  const [large, setLarge] = useState(false);
  return (
    <LanguageProvider lang={language}>
      <Main large={large} branding={props.branding}>
        <KioskHead
          branch={props.branch}
          branding={props.branding}
          large={large}
          onLarge={setLarge}
          onLanguage={setLanguage}
        />
        <KioskBody {...props} />
        <StaffExit />
      </Main>
    </LanguageProvider>
  );
}

function KioskHead({
  branch,
  branding,
  large,
  onLarge,
  onLanguage,
}: {
  branch: Branch;
  branding: Branding | null;
  large: boolean;
  onLarge: (large: boolean) => void;
  onLanguage: (lang: Language) => void;
}) {
  const t = useT();
  return (
    <BrandBand branding={branding} fallbackName={branch.name}>
      <button type="button" class="kiosk-control" aria-pressed={large} onClick={() => onLarge(!large)}>
        {t('kiosk.largeText')}
      </button>
      <LanguageSwitcher value={useLanguage()} onChange={onLanguage} />
    </BrandBand>
  );
}

function KioskBody({ branch, queues, priorities, loadError, onIssued, onDone }: VisitProps) {
  const t = useT();
  const format = useFormat();
  const [preferential, setPreferential] = useState(false);
  const [phone, setPhone] = useState('');
  const [sms, setSms] = useState(false);
  const [issued, setIssued] = useState<TicketWithStanding | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [phoneError, setPhoneError] = useState(false);

  useEffect(() => {
    document.title = t('kiosk.title');
  }, [t]);

  const rank = new Map(priorities.map((p) => [p.id, p.rank]));
  const urgent = [...priorities].sort((a, b) => a.rank - b.rank)[0];
  const open = (queues ?? []).filter((q) => q.status === 'open').sort(byDisplayOrder);
  const wantsSms = sms && phone.trim() !== '';

  const issue = async (queue: Queue) => {
    // The server's own rule: a number in international format, the only kind SMS reaches reliably.
    if (wantsSms && !smsNumber(phone)) {
      setPhoneError(true);
      return;
    }
    setPhoneError(false);
    setBusy(queue.id);
    setError(null);
    const key = newIdempotencyKey();
    const body: Record<string, unknown> = { queueId: queue.id };
    if (preferential && urgent && (rank.get(queue.priorityId) ?? 99) > urgent.rank)
      body.priorityId = urgent.id;
    if (wantsSms) {
      body.customer = { phone: phone.trim() };
      body.notify = ['sms'];
    }
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
      onIssued();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (issued)
    return <IssuedTicket result={issued} prints={branch.printTickets} smsAsked={wantsSms} onDone={onDone} />;

  return (
    <>
      <div class="kiosk-head">
        <h1>{t('kiosk.welcome', { branch: branch.name })}</h1>
        <p class="lead">{t('kiosk.lead')}</p>
      </div>
      <ProblemAlert error={error ?? loadError} onDismiss={error ? () => setError(null) : undefined} />
      {queues === null ? (
        <Loading />
      ) : open.length === 0 ? (
        <p class="lead" role="status">
          {t('kiosk.noneOpen')}
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
                style={color ? { borderLeftColor: color } : undefined}
                disabled={busy !== null}
                aria-label={t('kiosk.take', { queue: q.name })}
                aria-describedby={`kiosk-q-${q.id}`}
                data-testid={`kiosk-queue-${q.prefix}`}
                onClick={() => void issue(q)}
              >
                <span class="kiosk-name">{q.name}</span>
                <span id={`kiosk-q-${q.id}`}>
                  {q.description ? <span class="kiosk-description">{q.description}</span> : null}
                  <span class="kiosk-meta" data-testid={`kiosk-waiting-${q.prefix}`}>
                    {q.waiting
                      ? t('kiosk.waiting', {
                          count: format.number(q.waiting),
                          wait: format.wait(q.estimatedWaitSeconds),
                        })
                      : t('kiosk.noWait')}
                  </span>
                </span>
                {busy === q.id ? <span class="kiosk-meta">{t('kiosk.issuing')}</span> : null}
              </button>
            );
          })}
        </div>
      )}
      <div class="kiosk-options">
        {urgent ? (
          <button
            type="button"
            class={preferential ? 'toggle on' : 'toggle'}
            aria-pressed={preferential}
            onClick={() => setPreferential(!preferential)}
          >
            {t('kiosk.preferential')}
          </button>
        ) : null}
        <fieldset class="kiosk-sms">
          <label class="field" for="kiosk-phone">
            <span>{t('kiosk.sms.phone')}</span>
            <input
              id="kiosk-phone"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              maxLength={30}
              value={phone}
              aria-invalid={phoneError}
              aria-describedby={phoneError ? 'kiosk-phone-error' : undefined}
              onInput={(e) => {
                setPhone(e.currentTarget.value);
                if (e.currentTarget.value.trim()) setSms(true);
              }}
            />
          </label>
          <label class="check">
            <input type="checkbox" checked={sms} onChange={(e) => setSms(e.currentTarget.checked)} />{' '}
            {t('kiosk.sms.optIn')}
          </label>
          {phoneError ? (
            <p id="kiosk-phone-error" class="error" role="alert">
              {t('kiosk.sms.invalid')}
            </p>
          ) : null}
        </fieldset>
      </div>
    </>
  );
}

function IssuedTicket({
  result,
  prints,
  smsAsked,
  onDone,
}: {
  result: TicketWithStanding;
  prints: boolean;
  smsAsked: boolean;
  onDone: () => void;
}) {
  const t = useT();
  const format = useFormat();
  const [left, setLeft] = useState(KIOSK_RESET_SECONDS);
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    done.current?.focus();
    // The print stylesheet keeps only the ticket (80 mm); under Chrome's --kiosk-printing the
    // default printer takes it without a dialog.
    if (prints) window.print();
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
    <section class="ticket print-ticket" aria-labelledby="ticket-title" data-testid="issued-ticket">
      <h1 id="ticket-title">{t('kiosk.ticket.title')}</h1>
      <p class="ticket-code" data-testid="ticket-code">
        {ticket.code}
      </p>
      <dl class="facts">
        <div>
          <dt>{t('kiosk.ticket.position')}</dt>
          <dd data-testid="ticket-position">
            {position === null ? '—' : format.number(position)}
            {ahead ? (
              <span class="muted"> ({t('kiosk.ticket.ahead', { count: format.number(ahead) })})</span>
            ) : null}
            {ahead === 0 ? <span class="muted"> ({t('kiosk.ticket.next')})</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('kiosk.ticket.wait')}</dt>
          <dd data-testid="ticket-wait">
            {ahead === 0 ? t('kiosk.ticket.next') : format.wait(estimatedWaitSeconds)}
          </dd>
        </div>
      </dl>
      <div class="qr-box">
        <QrCode value={link} label={t('kiosk.ticket.qr', { code: ticket.code })} />
        <p class="print-only">{t('kiosk.print.follow')}</p>
      </div>
      <p class="lead screen-only" data-testid="ticket-hint">
        {prints ? t('kiosk.ticket.printing') : t('kiosk.ticket.noPrint')}
      </p>
      {smsAsked ? <p class="screen-only">{t('kiosk.ticket.smsSoon')}</p> : null}
      <button ref={done} type="button" class="primary big screen-only" onClick={onDone}>
        {t('kiosk.ticket.done')}
      </button>
      <p class="muted screen-only" aria-live="off">
        {t('kiosk.ticket.resets', { seconds: left })}
      </p>
    </section>
  );
}

/**
 * Leaving the kiosk: a discreet control asks the kiosk account's own password, checked by the
 * API (a sign-in that counts towards the account's lockout, so guessing is no way out), and
 * then signs the kiosk out. Only a kiosk-role session has it: other staff have the header's
 * sign-out.
 */
function StaffExit() {
  const t = useT();
  const session = currentSession();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) field.current?.focus();
  }, [open]);
  if (session?.user.roleId !== 'kiosk') return null;

  const close = () => {
    setOpen(false);
    setPassword('');
    setError(null);
    setProblem(null);
  };
  const leave = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblem(null);
    try {
      await leaveWithPassword(password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('kiosk.staff.wrong'));
      else if (err instanceof ApiError && err.status === 429)
        setError(t('kiosk.staff.tooMany', { minutes: retryMinutes(err) }));
      else setProblem(err);
    } finally {
      setBusy(false);
      setPassword('');
    }
  };
  if (!open)
    return (
      <button type="button" class="kiosk-staff ghost" onClick={() => setOpen(true)}>
        {t('kiosk.staff')}
      </button>
    );
  return (
    <form class="kiosk-staff-form card" aria-labelledby="kiosk-staff-title" onSubmit={(e) => void leave(e)}>
      <h2 id="kiosk-staff-title">{t('kiosk.staff.title')}</h2>
      <p>{t('kiosk.staff.intro', { username: session.user.username })}</p>
      <label class="field" for="kiosk-staff-password">
        <span>{t('kiosk.staff.password')}</span>
        <input
          ref={field}
          id="kiosk-staff-password"
          type="password"
          autoComplete="off"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <ProblemAlert error={problem} />
      <div class="row">
        <button type="submit" class="primary" disabled={busy || password === ''}>
          {busy ? t('kiosk.staff.checking') : t('kiosk.staff.leave')}
        </button>
        <button type="button" onClick={close}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function Main({
  children,
  large = false,
  branding,
}: {
  children: ComponentChildren;
  large?: boolean;
  branding?: Branding | null;
}) {
  return (
    <main id="main" class={large ? 'kiosk large' : 'kiosk'} style={brandStyle(branding)}>
      {children}
    </main>
  );
}
