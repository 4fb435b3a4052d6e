/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Queueline on AWS: one DynamoDB table, one Lambda per route behind an API Gateway HTTP API,
 * an hourly EventBridge schedule for the nightly reset, the signing keys as an SST secret, the
 * web app (web/) as a static site on S3 + CloudFront, the SES identity mails come from, and
 * alarms to an SNS topic. The components live in infra/ (infra/app.ts wires them); `npm run
 * check:infra` type-checks them and tests/unit/infra-graph.test.ts runs them under Pulumi's mocks.
 * Deploy with `npx sst deploy --stage <stage>` after setting the secrets (docs/deploy.md).
 *
 * SST evaluates `app()` on its own, so this file imports nothing at the top: the stage table is
 * plain data here, and `run()` imports infra/.
 */

/** The one rule for production protections: `removal`, `protect` and the table's (infra/storage.ts, via `$app.protect`). */
const isProduction = (stage: string | undefined) => stage === 'production';

/**
 * Each stage's settings (infra/stage.ts says what each one means). A stage not listed (a
 * developer's own, a pull request's) gets `development`'s and sends from the SES identity the
 * `development` stage created. Edit them here: a deploy reads nothing from the shell's environment.
 */
const STAGES: Record<string, Partial<import('./infra/stage').StageConfig>> = {
  production: {
    // apiDomain: 'api.queueline.example',
    // webDomain: 'app.queueline.example',
    mailFrom: 'Queueline <no-reply@queueline.example>',
    mailIdentity: 'queueline.example',
    alarmEmail: 'ops@queueline.example',
    throttle: { ratePerSecond: 200, burst: 400 },
    logRetention: '3 months',
  },
  development: {
    mailFrom: 'Queueline dev <dev@queueline.example>',
    mailIdentity: 'dev@queueline.example',
    throttle: { ratePerSecond: 20, burst: 40 },
    logRetention: '1 week',
    logLevel: 'debug',
  },
};

export default $config({
  app(input) {
    return {
      name: 'queueline',
      home: 'aws',
      removal: isProduction(input?.stage) ? 'retain' : 'remove',
      protect: isProduction(input?.stage),
    };
  },
  async run() {
    const { deployQueueline } = await import('./infra/app');
    return deployQueueline(STAGES[$app.stage] ?? { ...STAGES.development, mailShared: true });
  },
});
