/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Queueline on AWS: one DynamoDB table, one Lambda per route behind an API Gateway HTTP API,
 * an hourly EventBridge schedule for the nightly reset, the signing keys as an SST secret, and
 * the web app (web/) as a static site on S3 + CloudFront.
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
    const { web } = await import('./infra/web');
    return {
      ApiUrl: api.url,
      WebUrl: web.url,
      DocsUrl: $interpolate`${api.url}/docs`,
      Table: table.name,
    };
  },
});
