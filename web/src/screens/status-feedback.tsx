import { useState } from 'preact/hooks';
import type { PublicStatus } from '#core/contract/schemas/responses/tickets';
import { FEEDBACK_COMMENT_MAX } from '#core/domain/ticket';
import { ApiError, get, request } from '../api';
import { useT } from '../i18n';
import { ProblemAlert, useAction } from '../ui';

const RATINGS = [1, 2, 3, 4, 5] as const;
/** The longest comment the feedback route takes. */

/**
 * On the status page, after service: the customer rates it 1–5 with an optional comment
 * (`POST /v1/public/tickets/{publicToken}/feedback`), while the status says `feedback: "open"`
 * (a done ticket, within 24 hours of its end, not rated yet); then thanks them.
 */
export function StatusFeedback({
  token,
  status,
  onGiven,
}: {
  token: string;
  status: PublicStatus;
  onGiven: (status: PublicStatus) => void;
}) {
  const t = useT();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const send = useAction();

  if (status.feedback === 'given') {
    return (
      <p class="status-feedback" role="status" data-testid="feedback-thanks">
        {t('status.feedback.thanks')}
      </p>
    );
  }
  if (status.feedback !== 'open') return null;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (rating === null) return;
    const path = `/v1/public/tickets/${encodeURIComponent(token)}`;
    const given = await send.run(async () => {
      try {
        return (
          await request<PublicStatus>('POST', `${path}/feedback`, {
            auth: false,
            body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
          })
        ).data;
      } catch (e) {
        // Given from another tab, or the 24 hours ran out while the page was open: the status says which.
        if (e instanceof ApiError && e.status === 409) return get<PublicStatus>(path, { auth: false });
        throw e;
      }
    });
    if (given) onGiven(given);
  };

  return (
    <form class="status-feedback" onSubmit={(e) => void submit(e)} data-testid="feedback-form">
      <fieldset class="rating">
        <legend>{t('status.feedback.title')}</legend>
        <span class="sr-only">{t('status.feedback.rating')}</span>
        {RATINGS.map((r) => (
          <label key={r} class={rating !== null && r <= rating ? 'star on' : 'star'}>
            <input
              type="radio"
              name="rating"
              value={r}
              checked={rating === r}
              onChange={() => setRating(r)}
              aria-label={t('status.feedback.stars', { rating: r })}
            />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </fieldset>
      <label class="field">
        <span>{t('status.feedback.comment')}</span>
        <textarea
          name="comment"
          rows={3}
          maxLength={FEEDBACK_COMMENT_MAX}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
      </label>
      <ProblemAlert error={send.error} />
      <button type="submit" disabled={rating === null || send.busy}>
        {t('status.feedback.send')}
      </button>
    </form>
  );
}
