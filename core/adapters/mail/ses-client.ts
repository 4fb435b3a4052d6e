import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

/**
 * The SES v2 call, alone in its module so that core/adapters/mail/ses.ts can `import()` it on the
 * first message, with named imports (docs/performance.md §1 says why).
 */
let client: SESv2Client | undefined;

/**
 * A send, its retries included, gets 3 s: SES answers in a fraction of that, and a request must
 * keep time to undo a signup whose mail failed before its own deadline (7 s) aborts that too.
 */
const SEND_TIMEOUT_MS = 3_000;

export async function sendEmail(mail: { from: string; to: string; subject: string; text: string }) {
  client ??= new SESv2Client({});
  await client.send(
    new SendEmailCommand({
      FromEmailAddress: mail.from,
      Destination: { ToAddresses: [mail.to] },
      Content: { Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.text } } } },
    }),
    { abortSignal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
  );
}
