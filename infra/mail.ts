import type { StageConfig } from './stage';

/**
 * The SES identity mails come from (sst.aws.Email): a domain (DKIM records published by SST when
 * its zone is in Route 53, `mailDns`) or one address (SES mails it a confirmation link). A stage
 * that shares an identity another stage created references it instead (`mailShared`). Until SES
 * has verified it, and while the account is in the SES sandbox, sending fails: signup then
 * answers 503 and stays retryable (docs/deploy.md).
 */
export function createMail(config: StageConfig) {
  if (config.mailShared) return sst.aws.Email.get('Mail', config.mailIdentity);
  return new sst.aws.Email('Mail', {
    sender: config.mailIdentity,
    ...(config.mailIdentity.includes('@') ? {} : { dns: config.mailDns ? sst.aws.dns() : false }),
  });
}

/**
 * Sending through SES: on the identities of the account and region (the sender's, and in the
 * sandbox the verified recipients'), and on the identity's configuration set, which SES applies
 * to every mail of the identity and authorises too.
 */
export function sendMail(mail: sst.aws.Email) {
  const account = $interpolate`arn:aws:ses:${aws.getRegionOutput().region}:${aws.getCallerIdentityOutput().accountId}`;
  return {
    actions: ['ses:SendEmail'],
    resources: [
      $interpolate`${account}:identity/*`,
      $interpolate`${account}:configuration-set/${mail.configSet}`,
    ],
  };
}

/**
 * Sending SMS through AWS End User Messaging (SMS and voice v2): from the account's origination
 * identities (phone numbers, sender ids, pools) and configuration sets, in its region.
 */
export function sendSms() {
  return {
    actions: ['sms-voice:SendTextMessage'],
    resources: [
      $interpolate`arn:aws:sms-voice:${aws.getRegionOutput().region}:${aws.getCallerIdentityOutput().accountId}:*`,
    ],
  };
}
