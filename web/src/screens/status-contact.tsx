import { useState } from 'preact/hooks';
import { request } from '../api';
import { useT } from '../i18n';
import { ProblemAlert, useAction } from '../ui';

/**
 * On the status page: the customer erases the contact details they gave for the ticket, at once
 * (`DELETE /v1/public/tickets/{publicToken}/contact`), after a confirmation.
 */
export function StatusContact({ token }: { token: string }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState(false);
  const erase = useAction();

  const doErase = async () => {
    const done = await erase.run(async () => {
      await request('DELETE', `/v1/public/tickets/${encodeURIComponent(token)}/contact`, { auth: false });
      return true;
    });
    setConfirming(false);
    if (done) setErased(true);
  };

  if (erased) {
    return (
      <p class="status-contact" role="status" data-testid="contact-erased">
        {t('status.contact.erased')}
      </p>
    );
  }
  return (
    <div class="status-contact">
      <ProblemAlert error={erase.error} />
      {confirming ? (
        <fieldset class="confirm" aria-label={t('status.contact.erase')}>
          <p>{t('status.contact.confirm')}</p>
          <button type="button" class="danger" disabled={erase.busy} onClick={() => void doErase()}>
            {t('status.contact.yes')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('status.contact.no')}
          </button>
        </fieldset>
      ) : (
        <button type="button" class="secondary" onClick={() => setConfirming(true)}>
          {t('status.contact.erase')}
        </button>
      )}
    </div>
  );
}
