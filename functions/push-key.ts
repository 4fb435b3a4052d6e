import { pushKeyRoute } from '#core/contract/routes/system/push-key';
import { publicEndpoint } from './commons/http';
import { vapidPublicKey } from './commons/vapid-keys';

export const handler = publicEndpoint(pushKeyRoute, async () => ({
  status: 200,
  body: { publicKey: vapidPublicKey() },
  headers: { 'cache-control': 'public, max-age=300' },
}));
