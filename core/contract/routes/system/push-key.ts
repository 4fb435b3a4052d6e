import { route } from '#core/contract/define';

export const pushKeyRoute = route({
  method: 'GET',
  path: '/v1/public/push-key',
  function: 'push-key',
  summary: 'The web push public key (VAPID) a browser subscribes with',
  tag: 'Public',
  auth: 'none',
  responses: { 200: { description: 'The VAPID public key', schema: 'PushKey' } },
  // The public key, from its environment; no table.
  deploy: { publishesPushKey: true, dynamo: 'none' },
});
