import { closeBranchJob } from '#core/contract/functions';
import { contractFunction } from './access';
import { createAlarms } from './alarms';
import { addRoutes, createApi } from './api';
import { createEraseContacts, createNightlyReset } from './cron';
import { addLiveRoutes, createLivePush } from './live';
import { createMail } from './mail';
import { createCloseQueues } from './queue';
import { createSecrets } from './secrets';
import { STAGE_DEFAULTS, type StageConfig, tokenIssuer } from './stage';
import { createTable } from './storage';
import { createWeb } from './web';

/**
 * The whole app of one stage, in dependency order: the API Gateway first (its URL exists before
 * any route), then the web app built against it, then the routes, whose mails link to the web
 * app (APP_URL = its URL), and the push service's routes and stream fan-out (infra/live.ts) —
 * so one deploy gives a working system.
 */
export function deployQueueline(given: Partial<StageConfig>) {
  const stage: StageConfig = { ...STAGE_DEFAULTS, ...given } as StageConfig;
  if (!stage.mailFrom || !stage.mailIdentity) {
    throw new Error(`Stage "${$app.stage}": set mailFrom and mailIdentity in sst.config.ts (STAGES)`);
  }
  const table = createTable();
  const { signingKeys, cursorKey, publicJwks, vapidKeys, vapidPublicKey } = createSecrets();
  const mail = createMail(stage);
  const { closeQueue, closeDeadLetters } = createCloseQueues();
  const api = createApi(stage);
  const live = createLivePush(stage);
  const web = createWeb(stage, api, live.liveUrl);
  const wiring = {
    stage,
    table,
    signingKeys,
    cursorKey,
    publicJwks,
    vapidKeys,
    vapidPublicKey,
    tokenIssuer: tokenIssuer($app.stage, stage),
    mail,
    appUrl: web.url,
    closeQueue,
    closeDeadLetters,
    liveUrl: live.liveUrl,
    livePush: live.livePush,
  };
  addRoutes(api, wiring);
  addLiveRoutes(live.api, wiring);
  closeQueue.subscribe(contractFunction(closeBranchJob, wiring), {
    batch: { size: 10, partialResponses: true },
  });
  const nightlyReset = createNightlyReset(wiring);
  createEraseContacts(wiring);
  const alarms = createAlarms(stage, { api, table, nightlyReset, closeDeadLetters });
  return {
    ApiUrl: api.url,
    WebUrl: web.url,
    DocsUrl: $interpolate`${api.url}/docs`,
    LiveUrl: live.liveUrl,
    Table: table.name,
    AlarmTopic: alarms.arn,
  };
}
