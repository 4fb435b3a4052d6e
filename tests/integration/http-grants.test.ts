import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { READ_ACTIONS } from '#core/contract/access';
import { type DynamoAccess, type RouteDef, route } from '#core/contract/define';
import { nightlyResetJob } from '#core/contract/jobs';
import { enqueueRoute } from '#core/contract/routes/tickets/enqueue';
import { type HttpResult, publicEndpoint } from '#functions/commons/http';
import { handler as nightlyReset } from '#functions/nightly-reset';
import { lambdaContext, toApiGatewayEvent } from '#local/apigw';
import { call, readResult } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { requiredPermissions, takeGrantViolations } from '#tests/support/dynamo-grants';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * The suite's grant check (tests/support/dynamo-grants.ts, on in every test by setup-file.ts):
 * a handler's DynamoDB call outside its function's grant fails as AWS fails it, and is reported
 * even where the code swallows the error. Each test here makes such a call on purpose and takes
 * the violation it caused, so that the suite's own check after the test passes.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

/** A public route of its own whose work is `impl`, with this method and DynamoDB grant. */
function fixture(method: RouteDef['method'], impl: () => Promise<HttpResult>, dynamo?: DynamoAccess) {
  const fixtureRoute = route({
    method,
    path: '/fixture',
    function: 'fixture-grants',
    summary: 'Fixture',
    tag: 'Fixture',
    auth: 'none',
    responses: {},
    ...(dynamo && { deploy: { dynamo } }),
  });
  const handler = publicEndpoint(fixtureRoute, impl);
  return async () => {
    const event = toApiGatewayEvent({ method, path: '/fixture' }, fixtureRoute, {});
    return readResult(await handler(event, lambdaContext('fixture')));
  };
}

const key = () => ({ pk: `GRANT#${ulid()}`, sk: 'A' });
const put = (item: Record<string, unknown>) => new PutCommand({ TableName: tableName(), Item: item });
const stored = async (item: { pk: string; sk: string }) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: item }))).Item;

describe('a call outside the grant fails like AWS, and the test sees it', () => {
  it('a GET route (a read grant) that writes: AccessDeniedException, a 500, nothing written', async () => {
    const item = key();
    let error: unknown;
    const res = await fixture('GET', async () => {
      try {
        await dynamo().send(put(item));
      } catch (e) {
        error = e;
        throw e;
      }
      return { status: 204 };
    })();

    expect(res.status).toBe(500);
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as Error).message).toMatch(
      /is not authorized to perform: dynamodb:PutItem on resource: .*table\//,
    );
    expect(await stored(item)).toBeUndefined();
    expect(takeGrantViolations()).toEqual([
      { function: 'fixture-grants', command: 'PutItem', denied: [{ action: 'dynamodb:PutItem' }] },
    ]);
  });

  it('is reported even when the handler swallows the error and answers 200', async () => {
    const res = await fixture('GET', async () => {
      await dynamo()
        .send(put(key()))
        .catch(() => undefined);
      return { status: 200, body: { ok: true } };
    })();
    expect(res.status).toBe(200);
    expect(takeGrantViolations()).toEqual([expect.objectContaining({ command: 'PutItem' })]);
  });

  it('the same write under a write grant (a POST route) goes through and is not reported', async () => {
    const item = key();
    const res = await fixture('POST', async () => {
      await dynamo().send(put(item));
      return { status: 204 };
    })();
    expect(res.status).toBe(204);
    expect(await stored(item)).toEqual(item);
    expect(takeGrantViolations()).toEqual([]);
  });

  it('resources: a Query of an index outside the grant, or of the table when only an index is granted, is denied', async () => {
    const grant: DynamoAccess = { actions: ['dynamodb:Query'], indexes: ['due'] };
    const query = (IndexName?: string) =>
      dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          ...(IndexName && { IndexName }),
          KeyConditionExpression: IndexName === 'due' ? 'duePk = :p' : IndexName ? 'openPk = :p' : 'pk = :p',
          ExpressionAttributeValues: { ':p': 'x' },
        }),
      );
    const outcomes: string[] = [];
    const res = await fixture(
      'GET',
      async () => {
        for (const index of ['due', 'open', undefined]) {
          outcomes.push(
            await query(index).then(
              () => 'ok',
              (e: Error) => e.name,
            ),
          );
        }
        return { status: 204 };
      },
      grant,
    )();
    expect(res.status).toBe(204);
    expect(outcomes).toEqual(['ok', 'AccessDeniedException', 'AccessDeniedException']);
    expect(takeGrantViolations().map((v) => v.denied)).toEqual([
      [{ action: 'dynamodb:Query', index: 'open' }],
      [{ action: 'dynamodb:Query' }],
    ]);
  });

  it('a transaction needs the action of each of its items: a condition check needs ConditionCheckItem', async () => {
    const item = key();
    const grant: DynamoAccess = { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], table: true };
    const res = await fixture(
      'POST',
      async () => {
        await dynamo().send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tableName(), Item: item } },
              {
                ConditionCheck: {
                  TableName: tableName(),
                  Key: key(),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return { status: 204 };
      },
      grant,
    )();
    expect(res.status).toBe(500);
    expect(await stored(item)).toBeUndefined();
    expect(takeGrantViolations()).toEqual([
      expect.objectContaining({
        command: 'TransactWriteItems',
        denied: [{ action: 'dynamodb:ConditionCheckItem' }],
      }),
    ]);
  });

  it('a real route: enqueue with a read-only grant answers 500 and issues no ticket', async () => {
    const f = await createBranchFixture({});
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const enqueue = () =>
      call('POST', `/v1/branches/${f.branchId}/tickets`, { token, body: { queueId: f.queues.G!.id } });
    const entry = enqueueRoute as { deploy?: RouteDef['deploy'] };
    const deploy = entry.deploy;
    entry.deploy = { ...deploy, dynamo: { actions: READ_ACTIONS, table: true } };
    try {
      expect((await enqueue()).status).toBe(500);
    } finally {
      entry.deploy = deploy;
    }
    expect(takeGrantViolations()).toEqual([
      expect.objectContaining({ function: 'enqueue', command: 'TransactWriteItems' }),
    ]);
    const list = await call('GET', `/v1/branches/${f.branchId}/tickets`, { token });
    expect(list.body.items).toEqual([]);
    // With its own grant, the same request issues the ticket.
    expect((await enqueue()).status).toBe(201);
  });

  it('a job is checked against its own function: nightly-reset without the `due` index fails', async () => {
    const granted = nightlyResetJob.deploy!.dynamo;
    nightlyResetJob.deploy!.dynamo = { actions: ['dynamodb:Query'], indexes: ['open'] };
    try {
      await expect(nightlyReset({ at: '2000-01-01T00:00:00Z' })).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    } finally {
      nightlyResetJob.deploy!.dynamo = granted;
    }
    expect(takeGrantViolations()).toEqual([
      { function: 'nightly-reset', command: 'Query', denied: [{ action: 'dynamodb:Query', index: 'due' }] },
    ]);
    // With its own grant, the same run goes through.
    expect((await nightlyReset({ at: '2000-01-01T00:00:00Z' })).due).toBe(0);
  });

  it('calls outside any function (fixtures, seeding) are not checked', async () => {
    const item = key();
    await dynamo().send(put(item));
    expect(await stored(item)).toEqual(item);
    expect(takeGrantViolations()).toEqual([]);
  });
});

describe('what IAM asks of each command', () => {
  it('maps commands and transaction items to their actions and resources', () => {
    expect(requiredPermissions('GetItem', {})).toEqual([{ action: 'dynamodb:GetItem' }]);
    expect(requiredPermissions('BatchWriteItem', {})).toEqual([{ action: 'dynamodb:BatchWriteItem' }]);
    expect(requiredPermissions('Scan', { IndexName: 'refs' })).toEqual([
      { action: 'dynamodb:Scan', index: 'refs' },
    ]);
    expect(requiredPermissions('Query', {})).toEqual([{ action: 'dynamodb:Query' }]);
    expect(
      requiredPermissions('TransactWriteItems', {
        TransactItems: [{ Put: {} }, { Update: {} }, { Delete: {} }, { ConditionCheck: {} }],
      }),
    ).toEqual([
      { action: 'dynamodb:PutItem' },
      { action: 'dynamodb:UpdateItem' },
      { action: 'dynamodb:DeleteItem' },
      { action: 'dynamodb:ConditionCheckItem' },
    ]);
    expect(requiredPermissions('TransactGetItems', { TransactItems: [{ Get: {} }, { Get: {} }] })).toEqual([
      { action: 'dynamodb:GetItem' },
      { action: 'dynamodb:GetItem' },
    ]);
    expect(requiredPermissions('DescribeTable', {})).toEqual([{ action: 'dynamodb:DescribeTable' }]);
  });
});
