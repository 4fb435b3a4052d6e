import { useEffect, useState } from 'preact/hooks';
import type { PublicBranch, RemoteJoined } from '#core/contract/schemas/responses/tickets';
import type { Language } from '#core/i18n/index';
import { ApiError, get, request, retryMinutes } from '../api';
import { BrandBand, hasBranding } from '../branding';
import {
  LanguageProvider,
  LanguageSwitcher,
  rememberCustomerLanguage,
  ticketLanguageSlot,
  useCustomerLanguage,
  useFormat,
  useLanguage,
  useT,
} from '../i18n';
import { navigate, ProblemAlert, useAction, usePolling } from '../ui';

/** The waiting counts are read again this often while the page is open (the route allows 120 a minute). */
const JOIN_REFRESH_MS = 30_000;

/**
 * The join page (public, `#/join/<branchId>`, from the branch's poster): the customer picks one
 * of the branch's open services, optionally leaves a name, phone or email, and takes a ticket;
 * then follows it live on the ticket's status page. In the branch's language, with a switcher
 * (the choice is kept for the tab, and carried over to the ticket's page).
 */
export function JoinScreen({ branchId }: { branchId: string }) {
  const [branch, setBranch] = useState<PublicBranch | null>(null);
  const [language, setLanguage] = useCustomerLanguage(branch?.language, `join.${branchId}`);
  return (
    <LanguageProvider lang={language}>
      <JoinPage branchId={branchId} branch={branch} setBranch={setBranch} onLanguage={setLanguage} />
    </LanguageProvider>
  );
}

function JoinPage({
  branchId,
  branch,
  setBranch,
  onLanguage,
}: {
  branchId: string;
  branch: PublicBranch | null;
  setBranch: (branch: PublicBranch) => void;
  onLanguage: (lang: Language) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const format = useFormat();
  const [queueId, setQueueId] = useState<string | null>(null);
  const [contact, setContact] = useState({ name: '', phone: '', email: '' });
  const join = useAction();
  const bind = (field: keyof typeof contact) => ({
    value: contact[field],
    onInput: (e: Event) => setContact({ ...contact, [field]: (e.currentTarget as HTMLInputElement).value }),
  });
  const path = `/v1/public/branches/${encodeURIComponent(branchId)}`;

  const loadError = usePolling(
    async () => {
      const b = await get<PublicBranch>(path, { auth: false });
      setBranch(b);
    },
    JOIN_REFRESH_MS,
    [path],
  );

  useEffect(() => {
    document.title = branch ? `${t('join.title')} · ${branch.name}` : t('join.title');
  }, [branch, t]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!queueId) return;
    const customer = Object.fromEntries(
      Object.entries(contact)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v !== ''),
    );
    const joined = await join.run(
      async () =>
        (
          await request<RemoteJoined>('POST', `${path}/tickets`, {
            auth: false,
            body: { queueId, ...(Object.keys(customer).length ? { customer } : {}) },
          })
        ).data,
    );
    if (!joined) return;
    // The ticket's page speaks the language the customer chose here.
    rememberCustomerLanguage(ticketLanguageSlot(joined.ticket.publicToken), language);
    navigate(`/t/${encodeURIComponent(joined.ticket.publicToken)}`);
  };

  if (!branch) {
    return (
      <main id="main" class="join-page">
        <h1>{t('join.title')}</h1>
        {loadError instanceof ApiError && loadError.status === 404 ? (
          <p role="alert" data-testid="join-not-found">
            {t('join.notFound')}
          </p>
        ) : loadError ? (
          <ProblemAlert error={loadError} />
        ) : (
          <p role="status">{t('common.loading')}</p>
        )}
      </main>
    );
  }

  const joinError = join.error;
  const known =
    joinError instanceof ApiError
      ? joinError.code === 'remote-join-full'
        ? t('join.full')
        : joinError.code === 'queue-not-open'
          ? t('join.closedQueue')
          : joinError.status === 429
            ? t('join.tooMany', { minutes: retryMinutes(joinError) })
            : joinError.status === 404
              ? t('join.notFound')
              : null
      : null;

  return (
    <main id="main" class="join-page">
      {hasBranding(branch.branding) ? (
        <BrandBand branding={branch.branding} fallbackName={branch.name} />
      ) : null}
      <LanguageSwitcher value={language} onChange={onLanguage} />
      <p class="muted">{branch.name}</p>
      <h1>{t('join.title')}</h1>
      <form onSubmit={(e) => void submit(e)} data-testid="join-form">
        <fieldset class="join-services">
          <legend>{t('join.chooseService')}</legend>
          {branch.queues.length === 0 ? <p class="muted">{t('join.noQueues')}</p> : null}
          {branch.queues.map((q) => (
            <label key={q.id} class={queueId === q.id ? 'join-service chosen' : 'join-service'}>
              <input
                type="radio"
                name="queue"
                value={q.id}
                checked={queueId === q.id}
                onChange={() => setQueueId(q.id)}
              />
              <span class="join-service-name">{q.name}</span>
              {q.description ? <span class="join-service-description">{q.description}</span> : null}
              <span class="join-service-facts muted" data-testid={`join-facts-${q.id}`}>
                {t('join.waiting', { count: format.number(q.waiting) })} ·{' '}
                {q.estimatedWaitSeconds === null
                  ? t('join.noEstimate')
                  : t('join.wait', { wait: format.wait(q.estimatedWaitSeconds) })}
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset class="join-details">
          <legend>{t('join.details')}</legend>
          <p class="muted small">{t('join.detailsHint')}</p>
          <label class="field">
            <span>{t('join.name')}</span>
            <input name="name" type="text" autocomplete="name" maxLength={120} {...bind('name')} />
          </label>
          <label class="field">
            <span>{t('join.phone')}</span>
            <input name="phone" type="tel" autocomplete="tel" maxLength={40} {...bind('phone')} />
          </label>
          <label class="field">
            <span>{t('join.email')}</span>
            <input name="email" type="email" autocomplete="email" maxLength={254} {...bind('email')} />
          </label>
        </fieldset>
        {known ? (
          <p role="alert" class="alert">
            {known}
          </p>
        ) : (
          <ProblemAlert error={joinError} />
        )}
        <button type="submit" class="primary" disabled={!queueId || join.busy}>
          {t('join.submit')}
        </button>
      </form>
    </main>
  );
}
