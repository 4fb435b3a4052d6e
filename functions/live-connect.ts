/**
 * `$connect` of the WebSocket API (infra/live.ts): every connection is accepted; channels are
 * authorized one by one when the client subscribes (functions/live-message.ts).
 */
export async function handler() {
  return { statusCode: 200 };
}
