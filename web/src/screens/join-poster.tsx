import { createPortal } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import type { Branch } from '#core/contract/schemas/responses/setup';
import { can, patch } from '../api';
import { LanguageProvider, useT } from '../i18n';
import { QrCode } from '../qr';
import { appUrl, Card, ProblemAlert, useAction } from '../ui';

/** The join page of a branch, as printed on its poster. */
export const joinUrl = (branchId: string) => appUrl(`/join/${branchId}`);

/**
 * In the manager's setup: remote join for the chosen branch — on or off, and the most remote
 * tickets that may wait at once — and, while it is on, its join page and a printable poster
 * with the page's QR code.
 */
export function RemoteJoinSetup({ branch, onChanged }: { branch: Branch; onChanged: () => void }) {
  const t = useT();
  const [enabled, setEnabled] = useState(branch.remoteJoin.enabled);
  const [maxWaiting, setMaxWaiting] = useState(branch.remoteJoin.maxWaiting?.toString() ?? '');
  const [saved, setSaved] = useState(false);
  const [poster, setPoster] = useState(false);
  const save = useAction();
  const editable = can('branches:update');

  // The form follows the branch as stored (also after this form's own save reloads it)…
  useEffect(() => {
    setEnabled(branch.remoteJoin.enabled);
    setMaxWaiting(branch.remoteJoin.maxWaiting?.toString() ?? '');
  }, [branch.id, branch.remoteJoin.enabled, branch.remoteJoin.maxWaiting]);
  // …while "Saved." stays until another branch is chosen or the form is sent again.
  useEffect(() => setSaved(false), [branch.id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const done = await save.run(() =>
      patch(`/v1/branches/${branch.id}`, {
        remoteJoin: { enabled, maxWaiting: maxWaiting.trim() === '' ? null : Number(maxWaiting) },
      }),
    );
    if (done) {
      setSaved(true);
      onChanged();
    }
  };

  const url = joinUrl(branch.id);
  return (
    <Card
      title={t('manage.join.title')}
      actions={
        branch.remoteJoin.enabled ? (
          <button type="button" onClick={() => setPoster(true)} data-testid="join-poster-open">
            {t('manage.join.poster')}
          </button>
        ) : null
      }
    >
      {branch.remoteJoin.enabled ? (
        <p>
          {t('manage.join.link')}:{' '}
          <a href={url} target="_blank" rel="noopener" data-testid="join-link">
            {url}
          </a>
        </p>
      ) : (
        <p class="muted">{t('manage.join.off', { branch: branch.name })}</p>
      )}
      {editable ? (
        <form class="row" onSubmit={(e) => void submit(e)}>
          <label class="field inline">
            <input
              type="checkbox"
              name="remoteJoinEnabled"
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />
            <span>{t('manage.join.enabled')}</span>
          </label>
          <label class="field">
            <span>{t('manage.join.maxWaiting')}</span>
            <input
              type="number"
              name="remoteJoinMaxWaiting"
              min={1}
              max={10000}
              value={maxWaiting}
              onInput={(e) => setMaxWaiting(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={save.busy}>
            {t('manage.join.save')}
          </button>
          {saved ? <span role="status">{t('manage.join.saved')}</span> : null}
        </form>
      ) : null}
      <ProblemAlert error={save.error} />
      {poster ? <JoinPoster branch={branch} onClose={() => setPoster(false)} /> : null}
    </Card>
  );
}

/**
 * The poster: the branch's name, a line of explanation and the join page's QR code, in the
 * branch's language (its customers read it). Rendered as a child of `<body>`, so that the print
 * stylesheet can print it alone, on one A4 page (styles.css, "Join poster").
 */
function JoinPoster({ branch, onClose }: { branch: Branch; onClose: () => void }) {
  return createPortal(
    <LanguageProvider lang={branch.language}>
      <PosterSheet branch={branch} onClose={onClose} />
    </LanguageProvider>,
    document.body,
  );
}

function PosterSheet({ branch, onClose }: { branch: Branch; onClose: () => void }) {
  const t = useT();
  const url = joinUrl(branch.id);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <section class="join-poster" aria-label={t('manage.join.poster')} data-testid="join-poster">
      <div class="join-poster-actions">
        <button type="button" class="primary" onClick={() => window.print()}>
          {t('manage.join.print')}
        </button>
        <button type="button" onClick={onClose}>
          {t('manage.join.close')}
        </button>
      </div>
      <p class="join-poster-branch">{branch.name}</p>
      <h1>{t('manage.join.posterTitle')}</h1>
      <p class="join-poster-text">{t('manage.join.posterText', { branch: branch.name })}</p>
      <QrCode value={url} label={t('manage.join.qr', { branch: branch.name })} size={360} />
      <p class="join-poster-url">{url}</p>
    </section>
  );
}
