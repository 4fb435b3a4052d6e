/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Queueline on AWS: one DynamoDB table, one Lambda per route behind an API Gateway HTTP API,
 * an hourly EventBridge schedule for the nightly reset, and the signing keys as an SST secret.
 * The components live in infra/, split by concern; `npm run check:infra` type-checks them
 * offline. Deploy with `npx sst deploy --stage <stage>` after setting the secret (infra/secrets.ts).
 */
export default $config({
  app(input) {
    return {
      name: 'queueline',
      home: 'aws',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
    };
  },
  async run() {
    const { table } = await import('./infra/storage');
    await import('./infra/secrets');
    const { api } = await import('./infra/api');
    await import('./infra/cron');
    return {
      ApiUrl: api.url,
      DocsUrl: $interpolate`${api.url}/docs`,
      Table: table.name,
    };
  },
});
