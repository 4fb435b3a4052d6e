import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';

/**
 * The AWS End User Messaging SMS call, alone in its module so that the sender can `import()` it
 * on the first SMS (docs/performance.md §1).
 */
let client: PinpointSMSVoiceV2Client | undefined;

const SEND_TIMEOUT_MS = 5_000;

/** One transactional SMS; `origin`: the phone number, sender id or pool to send from (else the account's default). */
export async function sendSms(sms: { to: string; text: string; origin?: string }) {
  client ??= new PinpointSMSVoiceV2Client({});
  await client.send(
    new SendTextMessageCommand({
      DestinationPhoneNumber: sms.to,
      MessageBody: sms.text,
      MessageType: 'TRANSACTIONAL',
      ...(sms.origin && { OriginationIdentity: sms.origin }),
    }),
    { abortSignal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
  );
}
