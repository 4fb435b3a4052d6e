import type { Mailer } from '#core/ports/mailer';

/** Mail through Amazon SES v2. The SDK is loaded on the first message, not at cold start. */
export function sesMailer(from: string): Mailer {
  return {
    async send({ to, subject, text }) {
      const { sendEmail } = await import('./ses-client');
      await sendEmail({ from, to, subject, text });
    },
  };
}
