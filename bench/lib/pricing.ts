/**
 * On-demand prices used to turn measured requests and capacity into dollars (us-east-1,
 * checked 2025; DynamoDB's on-demand throughput prices are those after the 50 % cut of
 * 1 November 2024). Sources are cited in bench/RESULTS.md and docs/performance.md.
 */
export const PRICES = {
  /** DynamoDB on-demand, Standard table class: $ per read request unit / write request unit. */
  rru: 0.125 / 1e6,
  wru: 0.625 / 1e6,
  /** Lambda: $ per request, and per GB-second on arm64 (first 7.5 billion GB-s a month). */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  /** API Gateway HTTP API: $ per request (first 300 million a month; metered per 512 KB). */
  httpApiRequest: 1.0 / 1e6,
};

export const PRICE_SOURCES = [
  '[DynamoDB on-demand pricing](https://aws.amazon.com/dynamodb/pricing/on-demand/): $0.625 per million write request units, $0.125 per million read request units (us-east-1, Standard table class), after the [November 2024 price cut](https://aws.amazon.com/about-aws/whats-new/2024/11/amazon-dynamo-db-reduces-prices-on-demand-throughput-global-tables/) (halved from $1.25 / $0.25).',
  '[Lambda pricing](https://aws.amazon.com/lambda/pricing/): $0.20 per million requests; arm64 $0.0000133334 per GB-second (first 7.5 billion GB-s a month), billed per 1 ms.',
  '[API Gateway pricing](https://aws.amazon.com/api-gateway/pricing/): HTTP APIs $1.00 per million requests (first 300 million a month, each 512 KB counted as one request).',
];

/**
 * Lambda duration is not measured here (DynamoDB Local's latency is not DynamoDB's). Model:
 * a fixed 5 ms of our own work at 512 MB (section 4 measures ~1 ms of it on one full core; 512 MB
 * gives ~0.29 vCPU) plus 8 ms per DynamoDB request, all counted as sequential (some are in
 * parallel, so this errs high). Published in-region DynamoDB latencies are single-digit ms.
 */
export const DURATION_MODEL = { fixedMs: 5, perRequestMs: 8 };

export function lambdaDurationMs(requests: number): number {
  return DURATION_MODEL.fixedMs + DURATION_MODEL.perRequestMs * requests;
}

export interface OperationCost {
  dynamo: number;
  lambda: number;
  apiGateway: number;
  total: number;
}

/** Dollars for one invocation of an operation. */
export function operationCost(
  measured: { requests: number; read: number; write: number },
  memoryMb: number,
  durationMs = lambdaDurationMs(measured.requests),
): OperationCost {
  const dynamo = measured.read * PRICES.rru + measured.write * PRICES.wru;
  const lambda = PRICES.lambdaRequest + (memoryMb / 1024) * (durationMs / 1000) * PRICES.lambdaGbSecondArm;
  const apiGateway = PRICES.httpApiRequest;
  return { dynamo, lambda, apiGateway, total: dynamo + lambda + apiGateway };
}
