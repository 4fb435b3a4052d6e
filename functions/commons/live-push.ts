import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { dynamoLiveConnectionStore } from '#core/adapters/dynamo/live-connection-store';
import type { LiveServerMessage } from '#core/contract/live';

/**
 * Sending on the AWS push service: a message to one connection of the WebSocket API, through
 * its management endpoint (LIVE_MANAGEMENT_URL; the function's role holds
 * execute-api:ManageConnections on that API only). A connection found gone (410) is removed
 * from the registry with all its channels.
 */
let client: ApiGatewayManagementApiClient | undefined;

export async function push(connectionId: string, message: LiveServerMessage): Promise<void> {
  client ??= new ApiGatewayManagementApiClient({ endpoint: process.env.LIVE_MANAGEMENT_URL });
  try {
    await client.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }),
    );
  } catch (error) {
    if (error instanceof GoneException) await dynamoLiveConnectionStore.remove(connectionId);
    else throw error;
  }
}
