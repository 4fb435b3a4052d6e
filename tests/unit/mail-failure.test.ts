import { describe, expect, it } from 'vitest';
import { mailFailure } from '#core/adapters/mail/failure';

const sesError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('why a mail was not sent, for the log', () => {
  it.each([
    [
      'the SES sandbox refusing an unverified recipient',
      sesError(
        'MessageRejected',
        'Email address is not verified. The following identities failed the check in region EU-WEST-1: admin@clinic.example',
      ),
      'unverified-identity',
    ],
    [
      'a sending domain that is not verified',
      sesError('MailFromDomainNotVerifiedException', 'mail.clinic.example is not verified'),
      'unverified-identity',
    ],
    [
      'IAM without ses:SendEmail',
      sesError(
        'AccessDeniedException',
        'User arn:aws:sts::123:assumed-role/x is not authorized to perform ses:SendEmail on identity noreply@q.example',
      ),
      'not-allowed',
    ],
    [
      'a paused account',
      sesError('SendingPausedException', 'Sending is paused for this account (ID 123456789012).'),
      'sending-paused',
    ],
    [
      'a suspended account',
      sesError('AccountSuspendedException', 'Account 123456789012 is suspended.'),
      'sending-paused',
    ],
    ['the sending rate', sesError('TooManyRequestsException', 'Maximum sending rate exceeded.'), 'throttled'],
    ['the daily quota', sesError('LimitExceededException', 'Daily message quota exceeded.'), 'throttled'],
    ['a send that timed out', sesError('AbortError', 'This operation was aborted'), 'unavailable'],
    ['content SES refuses', sesError('MessageRejected', 'Illegal address'), 'rejected'],
    ['no sender configured', sesError('MailNotConfigured', 'MAIL_FROM is not configured'), 'not-configured'],
    ['anything else', new Error('EACCES: permission denied, open /outbox/x.json'), 'failed'],
  ])('%s', (_, error, reason) => {
    const logged = mailFailure(error);
    expect(logged.reason).toBe(reason);
    expect(logged.error).toBe(error.name);
    expect(logged.message).toMatch(/^mail not sent/);
    // The error's message (addresses, ARNs, paths) is never part of what is logged.
    expect(JSON.stringify(logged)).not.toContain(error.message);
    expect(JSON.stringify(logged)).not.toContain('@');
  });
});
