import { liveConfigRoute } from '#core/contract/routes/system/live-config';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(liveConfigRoute, async () => ({
  status: 200,
  body: { url: process.env.LIVE_URL || null, protocol: 'queueline-live-1' },
  headers: { 'cache-control': 'public, max-age=300' },
}));
