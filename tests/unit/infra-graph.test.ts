import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_ATTRIBUTES, TABLE } from '#core/adapters/dynamo/table';
import { generateVapidKeys } from '#core/adapters/notify/web-push';
import { dynamoAccess } from '#core/contract/access';
import type { RouteDef } from '#core/contract/define';
import { functions } from '#core/contract/functions';
import { routes } from '#core/contract/index';
import { publicJwksOf } from '#functions/commons/signing-keys';
import { generateCursorKey, generateSigningKey } from '#local/keys';
import { deployInMocks, type Graph, platformInstalled, type Resource } from '#tests/support/sst-mocks';

/**
 * The production stage's resource graph, from the real SST app run under Pulumi's mocks
 * (tests/support/sst-mocks.ts): what `npx sst deploy --stage production` would create, checked
 * without AWS. `.sst/platform` comes from `npm run check:infra`, which `npm test` runs first.
 */
if (!platformInstalled()) throw new Error('SST platform missing in .sst/: run `npm run check:infra` first');

/** The writes IAM knows for items and the table: a read-only function may have none of them. */
const WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:UpdateTable',
  'dynamodb:DeleteTable',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];
/** The functions whose bundles hold no DynamoDB client (tests/integration/build.test.ts checks the bundles). */
const STATIC = ['jwks', 'docs', 'docs-asset', 'openapi', 'not-found'];
/** The only functions that sign tokens. */
const SIGNERS = ['login', 'refresh'];
/** GET routes that write anyway: the public status, the public logo and the join page count requests in their rate windows. */
const READ_ROUTES_THAT_WRITE = ['public-ticket', 'public-logo', 'public-branch'];

let graph: Graph;
let signingKeys: { keys: Record<string, unknown>[] };
const vapidKeys = generateVapidKeys();

beforeAll(async () => {
  signingKeys = { keys: [await generateSigningKey(), await generateSigningKey()] };
  graph = await deployInMocks('production', {
    SigningKeys: JSON.stringify(signingKeys),
    CursorKey: generateCursorKey(),
    VapidKeys: JSON.stringify(vapidKeys),
  });
}, 240_000);

const ofType = (type: string) => graph.resources.filter((r) => r.type === type);
const lambdas = () => ofType('aws:lambda/function:Function');
/** The HTTP API and the live channels' WebSocket API. */
const apiOf = (protocol: 'HTTP' | 'WEBSOCKET') =>
  ofType('aws:apigatewayv2/api:Api').find((a) => a.inputs.protocolType === protocol)!;
const routesOf = (api: Resource) =>
  ofType('aws:apigatewayv2/route:Route').filter((r) => r.inputs.apiId === `${api.name}-id`);

/** The function file a Lambda runs (its handler `functions/<name>.handler`), from the build SST was asked for. */
function lambdaOf(fn: string): Resource {
  const found = lambdas().filter((l) => l.inputs.handler === `functions/${fn}.handler`);
  expect(found, fn).toHaveLength(1);
  return found[0]!;
}

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** The statements of a Lambda's role: its inline policy, as IAM would store it. */
function statementsOf(fn: string): Statement[] {
  const roleArn = lambdaOf(fn).inputs.role as string;
  const role = ofType('aws:iam/role:Role').find((r) => roleArn.endsWith(`:${r.name}`));
  expect(role, fn).toBeDefined();
  return (role!.inputs.inlinePolicies ?? []).flatMap(
    (p: { policy: string }) => JSON.parse(p.policy).Statement,
  );
}

const dynamoActionsOf = (fn: string) =>
  statementsOf(fn)
    .flatMap((s) => s.Action)
    .filter((a) => a.startsWith('dynamodb:'))
    .sort();

const envOf = (fn: string): Record<string, string> => lambdaOf(fn).inputs.environment?.variables ?? {};

describe('sst.config.ts', () => {
  it('protects production and only production: retained on removal, `sst remove` refused', () => {
    expect(graph.config.app({ stage: 'production' })).toMatchObject({ removal: 'retain', protect: true });
    for (const stage of ['prod', 'staging', 'pr-12']) {
      expect(graph.config.app({ stage }), stage).toMatchObject({ removal: 'remove', protect: false });
    }
  });

  it('outputs the API, the web app, the docs, the table and the alarm topic', () => {
    expect(graph.outputs).toMatchObject({
      ApiUrl: expect.stringMatching(/^https:\/\/.+\.execute-api\./),
      WebUrl: 'https://d111111abcdef8.cloudfront.net',
      DocsUrl: expect.stringMatching(/\/docs$/),
      LiveUrl: expect.stringMatching(/^wss:\/\/.+\.execute-api\..+\/\$default$/),
      Table: expect.any(String),
      AlarmTopic: expect.stringMatching(/^arn:/),
    });
  });
});

describe('the table', () => {
  it('is the table of core/adapters/dynamo/table.ts, with PITR and deletion protection on production', () => {
    const [table] = ofType('aws:dynamodb/table:Table');
    expect(ofType('aws:dynamodb/table:Table')).toHaveLength(1);
    const { inputs } = table!;
    expect(inputs.attributes.map((a: { name: string }) => a.name).sort()).toEqual([...KEY_ATTRIBUTES].sort());
    expect(inputs.hashKey).toBe('pk');
    expect(inputs.rangeKey).toBe('sk');
    expect(inputs.ttl).toMatchObject({ attributeName: TABLE.ttl, enabled: true });
    expect(inputs.globalSecondaryIndexes.map((i: { name: string }) => i.name).sort()).toEqual(
      Object.keys(TABLE.indexes).sort(),
    );
    expect(inputs.billingMode).toBe('PAY_PER_REQUEST');
    expect(inputs.pointInTimeRecovery).toEqual({ enabled: true });
    expect(inputs.deletionProtectionEnabled).toBe(true);
  });
});

describe('the API', () => {
  it('has one Lambda per function of the contract, and nothing else runs code', () => {
    expect(
      lambdas()
        .map((l) => l.inputs.handler)
        .sort(),
    ).toEqual(functions.map((f) => `functions/${f.function}.handler`).sort());
  });

  it('routes every entry of the route table, a HEAD route per GET one, and $default', () => {
    const keys = routesOf(apiOf('HTTP')).map((r) => r.inputs.routeKey);
    const expected = [
      ...routes.flatMap((r) =>
        r.method === 'GET' ? [`GET ${r.path}`, `HEAD ${r.path}`] : [`${r.method} ${r.path}`],
      ),
      '$default',
    ];
    expect(keys.sort()).toEqual(expected.sort());
  });

  it('throttles the stages (rate and burst) of both APIs and keeps their access logs for the stage retention', () => {
    const stages = ofType('aws:apigatewayv2/stage:Stage');
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      expect(stage.inputs.defaultRouteSettings, stage.name).toEqual({
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
      });
    }
  });

  it('runs every Lambda on Node.js 22, arm64, JSON logs kept 3 months', () => {
    for (const l of lambdas()) {
      expect(l.inputs, l.inputs.handler).toMatchObject({
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        loggingConfig: { logFormat: 'JSON' },
      });
    }
    const retention = new Set(
      ofType('aws:cloudwatch/logGroup:LogGroup').map((g) => g.inputs.retentionInDays),
    );
    expect(retention).toEqual(new Set([90]));
  });
});

describe('the functions and the web app', () => {
  it('sizes the scrypt functions at 1024 MB, the others 512; docs-asset ships the Swagger UI files', () => {
    for (const fn of ['login', 'signup', 'create-user', 'update-user', 'reset-password']) {
      expect(lambdaOf(fn).inputs.memorySize, fn).toBe(1024);
    }
    expect(lambdaOf('health').inputs.memorySize).toBe(512);
    const docsAsset = graph.builds.find((b) => b.handler === 'functions/docs-asset.handler')!;
    expect(docsAsset.copyFiles).toContainEqual(
      expect.objectContaining({ to: 'node_modules/swagger-ui-dist/swagger-ui.css', isDir: false }),
    );
  });

  it('allows and exposes the headers the API uses (CORS)', () => {
    const api = apiOf('HTTP');
    expect(api.inputs.corsConfiguration.allowHeaders).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-none-match']),
    );
    expect(api!.inputs.corsConfiguration.exposeHeaders).toEqual(
      expect.arrayContaining([
        'etag',
        'retry-after',
        'x-request-id',
        'idempotent-replayed',
        'www-authenticate',
      ]),
    );
  });

  it("serves the web app with a CSP naming the API's and the live channels' origins, no framing, no referrer", () => {
    const [policy] = ofType('aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy');
    const headers = policy!.inputs.securityHeadersConfig;
    const csp: string = headers.contentSecurityPolicy.contentSecurityPolicy;
    const origin = (output: string) => new URL(graph.outputs[output] as string).origin;
    expect(csp).toContain(`connect-src 'self' ${origin('ApiUrl')} ${origin('LiveUrl')};`);
    expect(csp).not.toContain('unsafe-inline');
    expect(headers).toMatchObject({
      frameOptions: { frameOption: 'DENY' },
      referrerPolicy: { referrerPolicy: 'no-referrer' },
    });
    const [distribution] = ofType('aws:cloudfront/distribution:Distribution');
    expect(distribution!.inputs.defaultCacheBehavior.responseHeadersPolicyId).toBe(`${policy!.name}-id`);
  });

  it('runs the nightly reset hourly and closes branches from a queue: batches of 10, partial failures, 3 tries', () => {
    const schedule = ofType('aws:scheduler/schedule:Schedule').find((s) => s.name.startsWith('NightlyReset'));
    expect(schedule!.inputs.scheduleExpression).toBe('cron(5 * * * ? *)');
    const mapping = ofType('aws:lambda/eventSourceMapping:EventSourceMapping').find((m) =>
      m.inputs.eventSourceArn.includes(':sqs/'),
    );
    expect(mapping!.inputs).toMatchObject({
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = ofType('aws:sqs/queue:Queue').find((q) => q.name.startsWith('DayCloseQueue'))!;
    expect(JSON.parse(queue.inputs.redrivePolicy)).toMatchObject({ maxReceiveCount: 3 });
  });
});

describe('least privilege: the signing keys', () => {
  it('are linked (encrypted into the package) to login and refresh only', () => {
    const withKeys = graph.builds.filter((b) => 'SigningKeys' in b.links).map((b) => b.handler);
    expect(withKeys.sort()).toEqual(SIGNERS.map((fn) => `functions/${fn}.handler`));
    expect(graph.builds).toHaveLength(functions.length);
  });

  it('never reach a function in its environment: no private key member anywhere', () => {
    const privateParts = signingKeys.keys.map((k) => k.d as string);
    for (const l of lambdas()) {
      const env = JSON.stringify(l.inputs.environment ?? {});
      for (const d of privateParts) expect(env, l.inputs.handler).not.toContain(d);
    }
  });

  it('reach every verifier as the public JWKS derived from the secret, and /jwks publishes it', () => {
    const expected = JSON.stringify(publicJwksOf(signingKeys as never));
    const verifiers = [...routes.filter((r) => r.auth === 'bearer').map((r) => r.function), 'jwks'];
    for (const fn of verifiers) {
      expect(envOf(fn).QUEUELINE_PUBLIC_JWKS, fn).toBe(expected);
      expect(envOf(fn).JWT_ISSUER, fn).toBe('urn:queueline:production');
      expect(envOf(fn).JWT_AUDIENCE, fn).toBe('queueline-api');
    }
    for (const fn of SIGNERS) expect(envOf(fn).JWT_ISSUER, fn).toBe('urn:queueline:production');
    expect(envOf('health').QUEUELINE_PUBLIC_JWKS).toBeUndefined();
  });

  it('the cursor key goes to the paginated routes only: those whose query takes a cursor', () => {
    const takesCursor = (r: RouteDef) =>
      r.query !== undefined && 'cursor' in ((r.query as any)._zod.def.shape ?? {});
    expect(routes.filter((r) => r.paginated)).toEqual(routes.filter(takesCursor));
    const withCursor = graph.builds.filter((b) => 'CursorKey' in b.links).map((b) => b.handler);
    expect(withCursor.sort()).toEqual(
      routes
        .filter((r) => r.paginated)
        .map((r) => `functions/${r.function}.handler`)
        .sort(),
    );
  });
});

describe('least privilege: DynamoDB', () => {
  it('no role may act on the whole service or the table itself (no dynamodb:*, Scan, batch writes, table changes)', () => {
    for (const f of functions) {
      const actions = dynamoActionsOf(f.function);
      for (const forbidden of [
        'dynamodb:*',
        'dynamodb:Scan',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteTable',
      ]) {
        expect(actions, f.function).not.toContain(forbidden);
      }
    }
  });

  it('the static routes get no DynamoDB action and no TABLE_NAME', () => {
    for (const fn of STATIC) {
      expect(dynamoActionsOf(fn), fn).toEqual([]);
      expect(envOf(fn).TABLE_NAME, fn).toBeUndefined();
    }
  });

  it('a read-only (GET) route gets no write, the public rate windows excepted', () => {
    for (const r of routes.filter((r: RouteDef) => r.method === 'GET')) {
      const writes = dynamoActionsOf(r.function).filter((a) => WRITES.includes(a));
      expect(writes, r.function).toEqual(
        READ_ROUTES_THAT_WRITE.includes(r.function) ? ['dynamodb:UpdateItem'] : [],
      );
    }
  });

  it("each function's role holds exactly the actions and resources of its contract entry", () => {
    const [table] = ofType('aws:dynamodb/table:Table');
    const tableArn = `arn:aws:aws:dynamodb/table:Table:${table!.name}`;
    for (const f of functions) {
      const access = dynamoAccess(f);
      const statements = statementsOf(f.function).filter(
        (s) => s.Action.some((a) => a.startsWith('dynamodb:')) && !s.Action.includes('dynamodb:GetRecords'),
      );
      if (!access) {
        expect(statements, f.function).toEqual([]);
        continue;
      }
      expect(statements, f.function).toEqual([
        {
          Effect: 'Allow',
          Action: [...access.actions],
          Resource: [
            ...(access.table ? [tableArn] : []),
            ...(access.indexes ?? []).map((i) => `${tableArn}/index/${i}`),
          ],
        },
      ]);
      expect(envOf(f.function).TABLE_NAME, f.function).toBe(table!.inputs.name);
    }
  });

  it('the nightly job only queries the due index; close-branch reads and writes items, queries the open index', () => {
    expect(dynamoActionsOf('nightly-reset')).toEqual(['dynamodb:Query']);
    expect(dynamoActionsOf('close-branch')).not.toContain('dynamodb:Scan');
  });

  it('the contact erasing runs hourly, queries the due index and updates items: nothing else', () => {
    const schedule = ofType('aws:scheduler/schedule:Schedule').find((s) =>
      s.name.startsWith('EraseContacts'),
    );
    expect(schedule!.inputs.scheduleExpression).toBe('cron(15 * * * ? *)');
    expect(JSON.parse(schedule!.inputs.target.input)).toEqual({
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    expect(schedule!.inputs.target.arn).toContain(
      lambdas().find((l) => l.inputs.handler === 'functions/erase-contacts.handler')!.name,
    );
    expect(dynamoActionsOf('erase-contacts')).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(statementsOf('erase-contacts').flatMap((s) => s.Resource)).toEqual([
      expect.stringMatching(/Table$|Table-arn$|:Table/),
      expect.stringMatching(/\/index\/due$/),
    ]);
  });
});

describe('one deploy: mail and links', () => {
  it('creates the SES identity and lets only the mailing functions send, with APP_URL = the web app', () => {
    expect(ofType('aws:sesv2/emailIdentity:EmailIdentity').map((r) => r.inputs.emailIdentity)).toEqual([
      'queueline.example',
    ]);
    const senders = functions.filter((f) =>
      statementsOf(f.function).some((s) => s.Action.includes('ses:SendEmail')),
    );
    expect(senders.map((f) => f.function).sort()).toEqual(['forgot-password', 'notify', 'signup']);
    for (const fn of ['signup', 'forgot-password']) {
      expect(envOf(fn)).toMatchObject({
        APP_URL: 'https://d111111abcdef8.cloudfront.net',
        MAIL_FROM: 'Queueline <no-reply@queueline.example>',
      });
    }
    expect(envOf('login').APP_URL).toBeUndefined();
  });
});

describe('operability', () => {
  it('sends the nightly job to the dead-letter queue when it fails, and lets its role do so', () => {
    const [config] = ofType('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig');
    const dlq = ofType('aws:sqs/queue:Queue').find((q) => q.name.startsWith('DayCloseDeadLetters'))!;
    expect(config!.inputs).toMatchObject({
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: `arn:aws:aws:sqs/queue:Queue:${dlq.name}` } },
    });
    const sends = statementsOf('nightly-reset').filter((s) => s.Action.includes('sqs:SendMessage'));
    expect(sends.flatMap((s) => s.Resource)).toContain(`arn:aws:aws:sqs/queue:Queue:${dlq.name}`);
  });

  it('raises alarms to an SNS topic with the stage email subscribed', () => {
    const alarms = ofType('aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms.map((a) => a.name).sort()).toEqual(
      [
        'Api5xxRate',
        'DayCloseDeadLetters',
        'DayCloseFailed',
        'ContactErasureFailed',
        'DynamoThrottles',
        'LambdaErrors',
        'LambdaThrottles',
        'NightlyResetErrors',
      ].sort(),
    );
    const [topic] = ofType('aws:sns/topic:Topic');
    for (const a of alarms)
      expect(a.inputs.alarmActions, a.name).toEqual([`arn:aws:aws:sns/topic:Topic:${topic!.name}`]);
    expect(ofType('aws:sns/topicSubscription:TopicSubscription').map((s) => s.inputs)).toEqual([
      expect.objectContaining({ protocol: 'email', endpoint: 'ops@queueline.example' }),
    ]);
    const dayClose = alarms.find((a) => a.name === 'DayCloseFailed')!;
    expect(dayClose.inputs).toMatchObject({ namespace: 'Queueline', metricName: 'DayCloseFailed' });
  });
});

describe('the live channels in AWS', () => {
  const PUSHERS = ['live-fan-out', 'live-message'];

  it('a WebSocket API routes $connect, $disconnect and $default to their functions, and GET /v1/live answers its URL', () => {
    const ws = apiOf('WEBSOCKET');
    expect(ws.inputs.routeSelectionExpression).toBe('$request.body.action');
    const integrations = ofType('aws:apigatewayv2/integration:Integration');
    const targetOf = (route: Resource) => {
      const integration = integrations.find((i) => route.inputs.target === `integrations/${i.name}-id`)!;
      // A secret-bearing function's outputs come wrapped as Pulumi secrets: `{ <sig>, value }`.
      const uri: string = integration.inputs.integrationUri.value ?? integration.inputs.integrationUri;
      return lambdas().find((l) => uri.includes(`:${l.name}/`))?.inputs.handler;
    };
    expect(Object.fromEntries(routesOf(ws).map((r) => [r.inputs.routeKey, targetOf(r)]))).toEqual({
      $connect: 'functions/live-connect.handler',
      $disconnect: 'functions/live-disconnect.handler',
      $default: 'functions/live-message.handler',
    });
    expect(envOf('live-config').LIVE_URL).toBe(graph.outputs.LiveUrl);
    expect(graph.outputs.LiveUrl).toMatch(new RegExp(`^wss://${ws.name}\\.`));
  });

  it('the table streams old and new images to the fan-out and the messages, filtered to ticket and setup records, from now on', () => {
    const [table] = ofType('aws:dynamodb/table:Table');
    expect(table!.inputs).toMatchObject({ streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES' });
    const mappings = ofType('aws:lambda/eventSourceMapping:EventSourceMapping').filter((m) =>
      m.inputs.eventSourceArn.includes(':dynamodb/'),
    );
    // A secret-bearing function's outputs come wrapped as Pulumi secrets: `{ <sig>, value }`.
    const handlerOf = (mapping: Resource) => {
      const name: string = mapping.inputs.functionName.value ?? mapping.inputs.functionName;
      return lambdas().find((l) => name.includes(l.name))?.inputs.handler;
    };
    expect(mappings.map(handlerOf).sort()).toEqual([
      'functions/live-fan-out.handler',
      'functions/notify.handler',
    ]);
    for (const mapping of mappings) {
      expect(mapping.inputs).toMatchObject({
        startingPosition: 'LATEST',
        batchSize: 100,
        maximumRetryAttempts: 2,
      });
      expect(
        mapping.inputs.filterCriteria.filters.map((f: { pattern: string }) => JSON.parse(f.pattern)),
      ).toEqual([{ dynamodb: { Keys: { sk: { S: ['TICKET', { prefix: 'A#' }] } } } }]);
    }
    // Reading the stream: the fan-out and the messages alone.
    const readers = functions.filter((f) =>
      statementsOf(f.function).some((s) => s.Action.includes('dynamodb:GetRecords')),
    );
    expect(readers.map((f) => f.function).sort()).toEqual(['live-fan-out', 'notify']);
  });

  it('only the fan-out and $default send on connections: ManageConnections on that API, with its management endpoint', () => {
    const ws = apiOf('WEBSOCKET');
    const senders = functions.filter((f) =>
      statementsOf(f.function).some((s) => s.Action.some((a) => a.startsWith('execute-api:'))),
    );
    expect(senders.map((f) => f.function).sort()).toEqual(PUSHERS);
    for (const fn of PUSHERS) {
      expect(
        statementsOf(fn).filter((s) => s.Action.some((a) => a.startsWith('execute-api:'))),
        fn,
      ).toEqual([
        {
          Effect: 'Allow',
          Action: ['execute-api:ManageConnections'],
          Resource: [`arn:aws:execute-api:eu-west-1:123456789012:${ws.name}-id/*/*/@connections/*`],
        },
      ]);
      expect(envOf(fn).LIVE_MANAGEMENT_URL, fn).toBe(
        `https://${ws.name}.execute-api.eu-west-1.amazonaws.com/$default`,
      );
    }
    expect(envOf('live-connect').LIVE_MANAGEMENT_URL).toBeUndefined();
  });

  it('$default verifies tokens with the public JWKS; $connect touches nothing; no live function signs', () => {
    expect(envOf('live-message').QUEUELINE_PUBLIC_JWKS).toBe(
      JSON.stringify(publicJwksOf(signingKeys as never)),
    );
    expect(envOf('live-fan-out').QUEUELINE_PUBLIC_JWKS).toBeUndefined();
    expect(dynamoActionsOf('live-connect')).toEqual([]);
    expect(dynamoActionsOf('live-disconnect')).toEqual(['dynamodb:DeleteItem', 'dynamodb:Query']);
  });
});

describe("customers' messages in AWS", () => {
  it('the VAPID key pair is linked to the sender alone; the push-key route gets the public half', () => {
    const withKeys = graph.builds.filter((b) => 'VapidKeys' in b.links).map((b) => b.handler);
    expect(withKeys).toEqual(['functions/notify.handler']);
    expect(envOf('push-key').QUEUELINE_VAPID_PUBLIC_KEY).toBe(vapidKeys.publicKey);
    for (const l of lambdas())
      expect(JSON.stringify(l.inputs.environment ?? {}), l.inputs.handler).not.toContain(
        vapidKeys.privateKey,
      );
  });

  it('only the sender sends SMS and email (besides the account mails), with its sender settings', () => {
    const sms = functions.filter((f) =>
      statementsOf(f.function).some((s) => s.Action.some((a) => a.startsWith('sms-voice:'))),
    );
    expect(sms.map((f) => f.function)).toEqual(['notify']);
    expect(
      statementsOf('notify')
        .filter((s) => s.Action.some((a) => a.startsWith('sms-voice:')))
        .flatMap((s) => s.Action),
    ).toEqual(['sms-voice:SendTextMessage']);
    expect(envOf('notify')).toMatchObject({
      MAIL_FROM: 'Queueline <no-reply@queueline.example>',
      APP_URL: 'https://d111111abcdef8.cloudfront.net',
    });
    // Its items (the stream's reading actions aside): reads, and the claims' Puts.
    const STREAM = [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ];
    expect(dynamoActionsOf('notify').filter((a) => !STREAM.includes(a))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
  });
});
