import { route } from '#core/contract/define';

export const liveConfigRoute = route({
  method: 'GET',
  path: '/v1/live',
  function: 'live-config',
  summary: 'Where the live channels are: the WebSocket URL of the push server',
  // The protocol, for /docs: the 200 answer's description.
  responses: {
    200: {
      schema: 'LiveConfig',
      description: [
        'Screens receive changes by push over one WebSocket (`url`; JSON text frames). Open a',
        'channel by sending `{"action":"subscribe","branchId":…,"token":<access token>}` (a branch:',
        'staff with `branches:read` and the branch in scope, display role included) or',
        '`{"action":"subscribe","publicToken":…}` (one ticket, no login). The server answers',
        '`subscribed` with the current board or ticket status, or `refused` with an HTTP status',
        '(400, 401, 403, 404); then `board` / `ticket` messages follow each change. A branch channel',
        'ends (`ended`, 401/403) when its token expires or is revoked: subscribe again with a fresh',
        'token. After a reconnect, subscribe again: the answer carries the current state.',
      ].join(' '),
    },
  },
  tag: 'System',
  auth: 'none',
  deploy: { dynamo: 'none', announcesLive: true },
});
