/** Why a mail was not sent, as far as the error tells: what the operator has to do differs. */
export type MailFailureReason =
  | 'not-configured'
  | 'unverified-identity'
  | 'not-allowed'
  | 'sending-paused'
  | 'throttled'
  | 'unavailable'
  | 'rejected'
  | 'failed';

const EXPLAINED: Record<MailFailureReason, string> = {
  'not-configured': 'mail not sent: no sender address is configured (MAIL_FROM)',
  'unverified-identity':
    'mail not sent: SES refused an unverified identity — the sender address or domain, or, while the account is in the SES sandbox, the recipient',
  'not-allowed':
    'mail not sent: this function is not allowed to send through SES (IAM ses:SendEmail on the identity)',
  'sending-paused': 'mail not sent: sending is paused or suspended for this SES account',
  throttled: 'mail not sent: SES sending rate or daily quota exceeded',
  unavailable: 'mail not sent: SES did not answer in time or failed',
  rejected: 'mail not sent: SES rejected the message',
  failed: 'mail not sent',
};

/**
 * Names the failure of a send for the log: the reason and the error's name, never its message
 * (SES lists the addresses it refused there).
 */
export function mailFailure(error: unknown): { message: string; reason: MailFailureReason; error: string } {
  const name = (error as Error | undefined)?.name ?? 'Error';
  const reason = reasonOf(name, String((error as Error | undefined)?.message ?? ''));
  return { message: EXPLAINED[reason], reason, error: name };
}

function reasonOf(name: string, message: string): MailFailureReason {
  if (name === 'MailNotConfigured') return 'not-configured';
  if (name === 'MailFromDomainNotVerifiedException') return 'unverified-identity';
  // SES's sandbox refusal: "Email address is not verified. The following identities failed the check…"
  if (name === 'MessageRejected') return /not verified/i.test(message) ? 'unverified-identity' : 'rejected';
  if (/^AccessDenied/.test(name) || name === 'NotAuthorized') return 'not-allowed';
  if (name === 'SendingPausedException' || name === 'AccountSuspendedException') return 'sending-paused';
  if (/Throttl|TooManyRequests|LimitExceeded/.test(name)) return 'throttled';
  if (/Timeout|Abort|InternalServiceError|ServiceUnavailable|^InternalFailure$/.test(name))
    return 'unavailable';
  return 'failed';
}
