import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IndexDef, KEY_ATTRIBUTES, TABLE } from '#core/adapters/dynamo/table';
import { routes } from '#core/contract/index';
import { functionNames, timeoutSeconds } from '#infra/functions';
import { ROOT } from '#scripts/build';

/**
 * Runs sst.config.ts and infra/ against stand-ins for SST's globals (`sst`, `$app`, `aws`, …),
 * recording what each component is given: the wiring is checked without AWS. The types are
 * checked by `npm run check:infra`. The modules are imported through computed paths so that the
 * main tsconfig does not pull SST's global declarations into its program.
 */
interface Recorded {
  type: string;
  name: string;
  args: any;
}
const created: Recorded[] = [];
const apiRoutes: { key: string; args: any }[] = [];
const subscriptions: { queue: string; subscriber: any; args: any }[] = [];

function installSstStandIns() {
  const g = globalThis as any;
  const component = (type: string, extra: (name: string) => object = () => ({})) =>
    class {
      constructor(name: string, args?: any) {
        created.push({ type, name, args });
        Object.assign(this, extra(name));
      }
    };
  g.sst = {
    Secret: component('Secret', (name) => ({ name, value: `<secret ${name}>` })),
    aws: {
      Dynamo: component('Dynamo', (name) => ({ name: `<table ${name}>`, arn: `<table ${name} arn>` })),
      Queue: component('Queue', (name) => ({
        url: `<queue ${name} url>`,
        arn: `<queue ${name} arn>`,
        subscribe: (subscriber: any, args: any) => subscriptions.push({ queue: name, subscriber, args }),
      })),
      CronV2: component('CronV2'),
      StaticSite: component('StaticSite', () => ({ url: 'https://web.example' })),
      ApiGatewayV2: component('ApiGatewayV2', () => ({
        url: 'https://api.example',
        route: (key: string, args: any) => {
          apiRoutes.push({ key, args });
          return { nodes: { function: { arn: `<function of ${key}>` } } };
        },
      })),
    },
  };
  g.$app = { name: 'queueline', stage: 'production' };
  g.$config = (config: unknown) => config;
  g.$interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
    strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  // Outputs resolve at once: `apply` runs on the plain value.
  g.$output = (value: unknown) => ({ apply: (fn: (v: unknown) => unknown) => fn(value) });
  g.$resolve = g.$output;
  g.aws = {
    getRegionOutput: () => ({ region: 'eu-west-1' }),
    getCallerIdentityOutput: () => ({ accountId: '123456789012' }),
    cloudfront: {
      ResponseHeadersPolicy: component('ResponseHeadersPolicy', (name) => ({ id: `<policy ${name}>` })),
    },
  };
}

let config: any;
let outputs: Record<string, unknown>;
beforeAll(async () => {
  installSstStandIns();
  const file = join(ROOT, 'sst.config.ts');
  config = (await import(/* @vite-ignore */ pathToFileURL(file).href)).default;
  outputs = await config.run();
});

const NIGHTLY_RESET = 'nightly-reset';
const CLOSE_BRANCH = 'close-branch';

const one = (type: string) => {
  const found = created.filter((c) => c.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('sst.config.ts', () => {
  it('names the app and retains production data', () => {
    expect(config.app({ stage: 'production' })).toMatchObject({
      name: 'queueline',
      home: 'aws',
      removal: 'retain',
    });
    expect(config.app({ stage: 'pr-12' })).toMatchObject({ removal: 'remove' });
  });

  it('outputs the API URL', () => {
    expect(outputs).toMatchObject({ ApiUrl: 'https://api.example', DocsUrl: 'https://api.example/docs' });
  });
});

describe('infra/storage.ts', () => {
  it('creates the table of core/adapters/dynamo/table.ts', () => {
    const { args } = one('Dynamo');
    expect(Object.keys(args.fields).sort()).toEqual([...KEY_ATTRIBUTES].sort());
    expect(new Set(Object.values(args.fields))).toEqual(new Set(['string']));
    expect(args.primaryIndex).toEqual({ hashKey: 'pk', rangeKey: 'sk' });
    expect(args.ttl).toBe(TABLE.ttl);
    expect(Object.keys(args.globalIndexes).sort()).toEqual(Object.keys(TABLE.indexes).sort());
    for (const [name, index] of Object.entries(TABLE.indexes) as [string, IndexDef][]) {
      const projection =
        index.projection === 'keys_only'
          ? 'keys-only'
          : index.projection === 'all'
            ? 'all'
            : [...index.projection];
      expect(args.globalIndexes[name]).toEqual({
        hashKey: index.hashKey,
        rangeKey: index.rangeKey,
        projection,
      });
    }
    expect(args.deletionProtection).toBe(true);
  });
});

describe('infra/secrets.ts', () => {
  it('declares the SigningKeys and CursorKey secrets without a placeholder', () => {
    const secrets = created.filter((c) => c.type === 'Secret');
    expect(secrets.map((c) => [c.name, c.args])).toEqual([
      ['SigningKeys', undefined],
      ['CursorKey', undefined],
    ]);
  });
});

describe('infra/api.ts', () => {
  it('allows and exposes the headers the API uses', () => {
    const { cors } = one('ApiGatewayV2').args;
    expect(cors.allowHeaders).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-none-match']),
    );
    expect(cors.exposeHeaders).toEqual(
      expect.arrayContaining([
        'etag',
        'retry-after',
        'x-request-id',
        'idempotent-replayed',
        'www-authenticate',
      ]),
    );
  });

  const routeArgs = (key: string): any => apiRoutes.find((r) => r.key === key)!.args;

  it('creates one route per entry of the route table, a HEAD route per GET one, then the $default catch-all', () => {
    expect(apiRoutes.map((r) => r.key)).toEqual([
      ...routes.flatMap((r) =>
        r.method === 'GET' ? [`GET ${r.path}`, `HEAD ${r.path}`] : [`${r.method} ${r.path}`],
      ),
      '$default',
    ]);
    expect(apiRoutes.at(-1)!.args).toMatchObject({ handler: 'functions/not-found.handler' });
  });

  it("sends HEAD to the GET route's own function (not a second Lambda)", () => {
    const heads = apiRoutes.filter((r) => r.key.startsWith('HEAD '));
    expect(heads.map((r) => r.key)).toContain('HEAD /health');
    for (const { key, args } of heads) expect(args, key).toBe(`<function of ${key.replace(/^HEAD/, 'GET')}>`);
  });

  it('gives every route its function, runtime, links and environment', () => {
    for (const r of routes) {
      const args = routeArgs(`${r.method} ${r.path}`);
      expect(args).toMatchObject({
        handler: `functions/${r.function}.handler`,
        runtime: 'nodejs22.x',
        architecture: 'arm64',
        nodejs: { format: 'esm', minify: true, esbuild: { mainFields: ['module', 'main'] } },
      });
      expect(args.nodejs.banner).toBeUndefined(); // SST adds the createRequire banner itself
      expect(args.link.map((l: any) => l.name)).toEqual(
        r.paginated ? ['<table Table>', 'SigningKeys', 'CursorKey'] : ['<table Table>', 'SigningKeys'],
      );
      expect(Object.keys(args.environment).sort()).toEqual(
        [
          'APP_URL',
          'JWT_AUDIENCE',
          'JWT_ISSUER',
          'LOG_LEVEL',
          'MAIL_FROM',
          'TABLE_NAME',
          ...(r.function === 'close-day' ? ['CLOSE_QUEUE_URL'] : []),
        ].sort(),
      );
      expect(args.environment.TABLE_NAME).toBe('<table Table>');
    }
  });

  it('sizes scrypt functions at 1024 MB and lets only mailing functions use SES', () => {
    const byFunction = new Map(routes.map((r) => [r.function, routeArgs(`${r.method} ${r.path}`)]));
    for (const fn of ['login', 'signup', 'create-user', 'update-user', 'reset-password']) {
      expect(byFunction.get(fn)?.memory, fn).toBe('1024 MB');
    }
    expect(byFunction.get('health')?.memory).toBe('512 MB');
    const withPermissions = [...byFunction].filter(([, a]) => a.permissions.length > 0).map(([fn]) => fn);
    expect(withPermissions.sort()).toEqual(['close-day', 'forgot-password', 'signup']);
    expect(byFunction.get('signup')?.permissions).toEqual([
      { actions: ['ses:SendEmail'], resources: ['arn:aws:ses:eu-west-1:123456789012:identity/*'] },
    ]);
  });

  it('lets close-day hand a long close to the day-close queue, and nothing more of it', () => {
    const args = apiRoutes.find((r) => r.args.handler === 'functions/close-day.handler')!.args;
    expect(args.permissions).toEqual([
      { actions: ['sqs:SendMessage'], resources: ['<queue DayCloseQueue arn>'] },
    ]);
    expect(args.environment.CLOSE_QUEUE_URL).toBe('<queue DayCloseQueue url>');
  });

  it.runIf(functionNames().includes('docs-asset'))('ships the Swagger UI files with docs-asset', () => {
    const args = apiRoutes.find((r) => r.args.handler === 'functions/docs-asset.handler')!.args;
    expect(args.copyFiles).toContainEqual({ from: 'node_modules/swagger-ui-dist/swagger-ui.css' });
  });
});

describe('paginated routes', () => {
  it('are exactly the routes whose query takes a cursor (they alone get the CursorKey)', () => {
    const takesCursor = (r: (typeof routes)[number]) =>
      r.query !== undefined && 'cursor' in ((r.query as any)._zod.def.shape ?? {});
    const paginated = routes.filter((r) => r.paginated).map((r) => r.function);
    expect(paginated).toEqual(routes.filter(takesCursor).map((r) => r.function));
    expect(paginated).toHaveLength(7);
  });
});

describe('infra/web.ts', () => {
  it('builds web/ with Vite against the API URL and serves index.html for every path', () => {
    const { args } = one('StaticSite');
    expect(args).toMatchObject({
      path: 'web',
      build: { output: 'dist' },
      environment: { VITE_API_URL: 'https://api.example' },
      errorPage: 'index.html',
    });
    expect(args.build.command).toMatch(/vite build/);
    expect(outputs.WebUrl).toBe('https://web.example');
  });

  it('serves the app with a response headers policy: CSP, no framing, no referrer, nosniff', () => {
    const policy = one('ResponseHeadersPolicy');
    const headers = policy.args.securityHeadersConfig;
    const csp: string = headers.contentSecurityPolicy.contentSecurityPolicy;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://api.example;");
    expect(csp).not.toContain('unsafe-inline');
    expect(headers).toMatchObject({
      contentSecurityPolicy: { override: true },
      frameOptions: { frameOption: 'DENY', override: true },
      referrerPolicy: { referrerPolicy: 'no-referrer', override: true },
      contentTypeOptions: { override: true },
    });
    // StaticSite's CloudFront default behaviour gets the policy and keeps everything else.
    const cdnArgs = { defaultCacheBehavior: { targetOriginId: 'default', compress: true } };
    one('StaticSite').args.transform.cdn(cdnArgs);
    expect(cdnArgs.defaultCacheBehavior).toEqual({
      targetOriginId: 'default',
      compress: true,
      responseHeadersPolicyId: `<policy ${policy.name}>`,
    });
  });
});

describe('infra/cron.ts', () => {
  it('runs the nightly reset hourly with the scheduled time; it may only query the due index and queue messages', () => {
    const { args } = one('CronV2');
    expect(args.schedule).toBe('cron(5 * * * ? *)');
    expect(args.event).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(args.dlq).toBe('<queue DayCloseDeadLetters arn>');
    expect(args.function).toMatchObject({
      handler: `functions/${NIGHTLY_RESET}.handler`,
      runtime: 'nodejs22.x',
      environment: { TABLE_NAME: '<table Table>', CLOSE_QUEUE_URL: '<queue DayCloseQueue url>' },
    });
    expect(args.function.link).toBeUndefined();
    expect(args.function.permissions).toEqual([
      { actions: ['dynamodb:Query'], resources: ['<table Table arn>/index/due'] },
      { actions: ['sqs:SendMessage'], resources: ['<queue DayCloseQueue arn>'] },
    ]);
  });
});

describe('infra/queue.ts', () => {
  it('fans the closes out to a queue with a dead-letter queue, retried 3 times', () => {
    const queues = created.filter((c) => c.type === 'Queue');
    expect(queues.map((q) => q.name).sort()).toEqual(['DayCloseDeadLetters', 'DayCloseQueue']);
    const main = queues.find((q) => q.name === 'DayCloseQueue')!;
    expect(main.args.dlq).toEqual({ queue: '<queue DayCloseDeadLetters arn>', retry: 3 });
    // Six times the subscriber's timeout, as Lambda advises for SQS event sources.
    expect(main.args.visibilityTimeout).toBe(`${6 * timeoutSeconds(CLOSE_BRANCH)} seconds`);
  });

  it('subscribes close-branch with batches of 10, partial batch failures and only the access a close needs', () => {
    expect(subscriptions).toHaveLength(1);
    const [{ queue, subscriber, args }] = subscriptions as [(typeof subscriptions)[number]];
    expect(queue).toBe('DayCloseQueue');
    expect(args).toEqual({ batch: { size: 10, partialResponses: true } });
    expect(subscriber).toMatchObject({
      handler: `functions/${CLOSE_BRANCH}.handler`,
      timeout: `${timeoutSeconds(CLOSE_BRANCH)} seconds`,
      environment: { TABLE_NAME: '<table Table>', CLOSE_QUEUE_URL: '<queue DayCloseQueue url>' },
    });
    expect(subscriber.link).toBeUndefined();
    const [table, queueAccess] = subscriber.permissions;
    expect(table.resources).toEqual(['<table Table arn>', '<table Table arn>/index/open']);
    expect(table.actions.every((a: string) => a.startsWith('dynamodb:'))).toBe(true);
    expect(table.actions).not.toContain('dynamodb:Scan');
    expect(queueAccess).toEqual({ actions: ['sqs:SendMessage'], resources: ['<queue DayCloseQueue arn>'] });
  });
});
