import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
} from '@smithy/types';
import { ulid } from 'ulid';
import { extendDynamo, tableName } from '#core/adapters/dynamo/client';
import { dynamoAccess } from '#core/contract/access';
import type { DynamoAccess, FunctionDef } from '#core/contract/define';
import { runningFunction } from '#functions/commons/running';

/**
 * Every DynamoDB call a function makes, checked against that function's grant as IAM checks it
 * in AWS: the function's actions on the table and its indexes (core/contract/access.ts
 * `dynamoAccess`, the statement infra/access.ts deploys). A call outside the grant fails the way
 * AWS fails it — AccessDeniedException, before anything reaches the table, not retried by the
 * SDK — and is remembered, so that a test whose code swallowed the error still fails
 * (tests/support/setup-file.ts asserts none after each test).
 *
 * The function is the one whose invocation the call runs in (functions/commons/running.ts): a
 * route's whole chain, the day-close jobs, the in-process closes of the local runtime. Calls
 * outside any invocation — fixtures, seeding, table creation — are not checked.
 *
 * An `initialize`-step middleware, outermost: it sees each call once (not each SDK attempt).
 * What IAM asks of each command: its own action (`dynamodb:<Command>`) on the table, or, for
 * Query and Scan with an IndexName, on that index; a transaction asks the action of each of its
 * items instead (TransactWriteItems: PutItem, UpdateItem, DeleteItem, ConditionCheckItem;
 * TransactGetItems: GetItem), all on the table.
 */

/** One action on one resource: the table (`index` undefined) or one of its indexes. */
export interface Permission {
  action: string;
  index?: string;
}

/** A call that went beyond its function's grant. */
export interface GrantViolation {
  function: string;
  command: string;
  denied: Permission[];
}

const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** What IAM requires of `command` (low-level name, e.g. `Query`) with this input. */
export function requiredPermissions(command: string, input: Record<string, any>): Permission[] {
  switch (command) {
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, unknown>[]).map((item) => {
        const kind = Object.keys(item).find((key) => key in TRANSACT_WRITE_ACTIONS);
        if (!kind) throw new Error(`Unknown transaction item: ${Object.keys(item).join(', ')}`);
        return { action: TRANSACT_WRITE_ACTIONS[kind]! };
      });
    case 'TransactGetItems':
      return (input.TransactItems as unknown[]).map(() => ({ action: 'dynamodb:GetItem' }));
    case 'Query':
    case 'Scan':
      return [{ action: `dynamodb:${command}`, ...(input.IndexName && { index: input.IndexName }) }];
    default:
      return [{ action: `dynamodb:${command}` }];
  }
}

/** The permissions of `required` that `grant` does not give. */
export function deniedBy(grant: DynamoAccess | undefined, required: readonly Permission[]): Permission[] {
  return required.filter(
    ({ action, index }) =>
      !grant?.actions.includes(action) ||
      (index === undefined ? !grant.table : !(grant.indexes ?? []).includes(index)),
  );
}

const violations: GrantViolation[] = [];

/** The violations since the last call, forgotten as they are handed out. */
export const takeGrantViolations = (): GrantViolation[] => violations.splice(0);

/** What AWS answers a call its role does not allow (the first permission missing). */
function accessDenied(def: FunctionDef, { action, index }: Permission): Error {
  const resource = `arn:aws:dynamodb:local:000000000000:table/${tableName()}${index ? `/index/${index}` : ''}`;
  return new DynamoDBServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: ulid() },
    message:
      `User: arn:aws:sts::000000000000:assumed-role/${def.function}/${def.function} is not authorized to ` +
      `perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  });
}

const grantCheck: InitializeMiddleware<any, any> =
  (next: InitializeHandler<any, any>, context: HandlerExecutionContext) =>
  async (args: InitializeHandlerArguments<any>) => {
    const def = runningFunction();
    if (!def) return next(args);
    const command = (context.commandName ?? '').replace(/Command$/, '');
    const denied = deniedBy(dynamoAccess(def), requiredPermissions(command, args.input));
    if (denied.length === 0) return next(args);
    violations.push({ function: def.function, command, denied });
    throw accessDenied(def, denied[0]!);
  };

/** Checks every call of the app's DynamoDB client, this one and those created later, from now on. */
export function checkDynamoGrants(): void {
  extendDynamo((client: DynamoDBDocumentClient) =>
    client.middlewareStack.add(grantCheck, {
      step: 'initialize',
      name: 'queuelineGrantCheck',
      priority: 'high',
    }),
  );
}

/** Throws, listing them, if calls went beyond their grant since the last check. */
export function assertNoGrantViolations(): void {
  const found = takeGrantViolations();
  if (found.length === 0) return;
  const lines = found.map(
    (v) =>
      `${v.function}: ${v.command} needs ${v.denied.map((p) => `${p.action} on ${p.index ? `index ${p.index}` : 'the table'}`).join(', ')}`,
  );
  throw new Error(
    `DynamoDB calls outside their function's grant (core/contract/access.ts), denied in AWS:\n${lines.join('\n')}`,
  );
}
