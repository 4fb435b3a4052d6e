import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { dynamoLiveConnectionStore } from '#core/adapters/dynamo/live-connection-store';
import { DomainError } from '#core/domain/errors';
import { notAFrame, openChannel, parseFrame } from './commons/live';
import { push } from './commons/live-push';
import { logger } from './commons/logger';

/**
 * `$default` of the WebSocket API: a client's frame (docs/live.md). A subscribe is authorized
 * like the local push server does it (functions/commons/live.ts), registered until its token
 * expires (or the connection's longest life), and answered `subscribed` with the current state;
 * an unsubscribe removes the channel.
 */
export async function handler(event: APIGatewayProxyWebsocketEventV2) {
  const connectionId = event.requestContext.connectionId;
  const frame = parseFrame(event.body ?? '');
  if (!frame) {
    await push(connectionId, notAFrame);
  } else if (frame.action === 'unsubscribe') {
    await dynamoLiveConnectionStore.remove(connectionId, frame.channel);
  } else {
    const result = await openChannel(frame, new Date());
    if ('refused' in result) {
      if (!(result.error instanceof DomainError))
        logger.error('live: opening a channel failed', { error: result.error as Error });
      await push(connectionId, result.refused);
    } else {
      const { name, channel, expiresAt, holder, ticket, reply } = result.opened;
      await dynamoLiveConnectionStore.add({ connectionId, name, channel, expiresAt, holder, ticket });
      await push(connectionId, reply);
    }
  }
  return { statusCode: 200 };
}
