import { afterAll, afterEach, inject } from 'vitest';
import { assertNoGrantViolations, checkDynamoGrants } from '#tests/support/dynamo-grants';

// Runs before every test file: point the process at the shared DynamoDB Local and keep
// the AWS SDK's Node-version notice out of test output.
process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL ??= 'silent';
process.env.POWERTOOLS_DEV ??= 'false';
// DynamoDB Local shares the machine's cores with the whole suite: a slow answer here is load,
// not a failing database. The fault tests (database-faults.test.ts) set short deadlines of their own.
process.env.REQUEST_DEADLINE_MS ??= '30000';
process.env.DYNAMODB_ATTEMPT_TIMEOUT_MS ??= '10000';

// Every DynamoDB call a handler makes must be within its function's grant, as IAM has it in AWS:
// one outside fails with AccessDeniedException, and fails the test even if the code swallowed it.
checkDynamoGrants();
afterEach(assertNoGrantViolations);
afterAll(assertNoGrantViolations);
