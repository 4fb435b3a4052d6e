import type { Mailer } from '../../ports/mailer';

/** Mail through Amazon SES v2. The SDK is loaded on the first message, not at cold start. */
export function sesMailer(from: string): Mailer {
  return {
    async send({ to, subject, text }) {
      const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
      client ??= new SESv2Client({});
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: text } } } },
        }),
      );
    },
  };
}

let client: import('@aws-sdk/client-sesv2').SESv2Client | undefined;
