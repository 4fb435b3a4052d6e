import {
  liveConnectFunction,
  liveDisconnectFunction,
  liveFanOutFunction,
  liveMessageFunction,
  notifyFunction,
} from '#core/contract/functions';
import { contractFunction, type Wiring } from './access';
import { type StageConfig, throttledStage } from './stage';

/**
 * The push service of the live channels (docs/live.md): an API Gateway WebSocket API — the same
 * protocol as `npm start`'s push server — and the table stream's fan-out. Created before the
 * routes, so `GET /v1/live` answers its URL and the functions that send on it get its
 * management endpoint; its routes and the stream's subscriber come with the other functions.
 */
export function createLivePush(stage: StageConfig) {
  const api = new sst.aws.ApiGatewayWebSocket('Live', {
    accessLog: { retention: stage.logRetention },
    transform: { stage: throttledStage(stage) },
  });
  return {
    api,
    liveUrl: api.url,
    livePush: {
      managementUrl: api.managementEndpoint,
      // Sending to (and closing) its connections, on this API only.
      connectionsArn: $interpolate`${api.nodes.api.executionArn}/*/*/@connections/*`,
    },
  };
}

/**
 * The stream records that can change a screen: tickets (sort key TICKET) and a branch's setup
 * (sort keys A#…). The filter drops the rest before a function runs (sessions, idempotency,
 * rate windows, reports, the connection registry itself); branchChangesOf decides the rest.
 */
export const LIVE_STREAM_FILTER = { dynamodb: { Keys: { sk: { S: ['TICKET', { prefix: 'A#' }] } } } };

/** How both stream subscribers read the ticket changes. */
const STREAM_SUBSCRIPTION = {
  filters: [LIVE_STREAM_FILTER],
  transform: {
    // Calls that land together go out together; a poisoned batch is retried, then skipped.
    eventSourceMapping: { batchSize: 100, maximumBatchingWindowInSeconds: 0, maximumRetryAttempts: 2 },
  },
};

export function addLiveRoutes(api: sst.aws.ApiGatewayWebSocket, w: Wiring) {
  api.route('$connect', contractFunction(liveConnectFunction, w));
  api.route('$disconnect', contractFunction(liveDisconnectFunction, w));
  api.route('$default', contractFunction(liveMessageFunction, w));
  w.table.subscribe('LiveFanOut', contractFunction(liveFanOutFunction, w), STREAM_SUBSCRIPTION);
  // Customers' messages: the stream's second subscriber, on the same records. A retried batch
  // sends nothing twice (each message is claimed first); a poisoned one is skipped.
  w.table.subscribe('Notify', contractFunction(notifyFunction, w), STREAM_SUBSCRIPTION);
}
