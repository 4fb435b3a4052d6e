import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { dynamoLiveConnectionStore } from '#core/adapters/dynamo/live-connection-store';

/** `$disconnect` of the WebSocket API: the connection's channels leave the registry. */
export async function handler(event: APIGatewayProxyWebsocketEventV2) {
  await dynamoLiveConnectionStore.remove(event.requestContext.connectionId);
  return { statusCode: 200 };
}
