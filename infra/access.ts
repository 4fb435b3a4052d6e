import { dynamoAccess } from '#core/contract/access';
import type { FunctionDef, RouteDef } from '#core/contract/define';
import { lambda } from './lambda';
import { sendMail, sendSms } from './mail';
import type { StageConfig } from './stage';
import { tableAccess } from './storage';

/** What a function may be given: the resources of infra/app.ts it could need. */
export interface Wiring {
  stage: StageConfig;
  table: sst.aws.Dynamo;
  signingKeys: sst.Secret;
  cursorKey: sst.Secret;
  publicJwks: $util.Output<string>;
  /** The web push key pair (the sender's) and its public half (the push-key route's). */
  vapidKeys: sst.Secret;
  vapidPublicKey: $util.Output<string>;
  tokenIssuer: string;
  mail: sst.aws.Email;
  /** Base of the links in mails: the web app of the same deploy. */
  appUrl: $util.Input<string>;
  closeQueue: sst.aws.Queue;
  closeDeadLetters: sst.aws.Queue;
  /** The live channels' WebSocket URL (docs/live.md). */
  liveUrl?: $util.Input<string>;
  /** The push service's management endpoint and its connections' ARN (infra/live.ts). */
  livePush?: { managementUrl: $util.Input<string>; connectionsArn: $util.Input<string> };
}

/**
 * A Lambda of the contract with exactly what its entry's `deploy` (and, for a route, its `auth`
 * and `paginated`) asks for: the only place the contract becomes IAM statements, links and
 * environment. No function links the table (the link grants `dynamodb:*`): its access
 * (core/contract/access.ts) becomes one statement, with TABLE_NAME. The private signing keys are linked to the signers
 * alone; a route that verifies tokens (a bearer route) or publishes the keys (/jwks) gets the
 * public JWKS only. The cursor key goes to paginated routes, the mail identity and `APP_URL` to
 * the routes that send mail, the day-close queue to the functions that hand it work, the push
 * service's connections to the functions that send on them; the VAPID key pair, SES and SMS to
 * the function that sends customers' messages, the VAPID public key to the route that publishes it.
 */
export function contractFunction(
  def: FunctionDef | RouteDef,
  w: Wiring,
  extra: Pick<sst.aws.FunctionArgs, 'retries' | 'transform' | 'permissions'> = {},
): sst.aws.FunctionArgs {
  const deploy = def.deploy ?? {};
  const dynamo = dynamoAccess(def);
  const route = 'method' in def ? def : undefined;
  const verifies = route?.auth === 'bearer' || deploy.publishesJwks || deploy.verifiesTokens;
  const push = deploy.pushesLive ? w.livePush : undefined;
  if (deploy.pushesLive && !push) throw new Error(`${def.function}: the push service is not wired yet`);
  return lambda(def.function, w.stage, {
    ...extra,
    link: [
      ...(deploy.signsTokens ? [w.signingKeys] : []),
      ...(route?.paginated ? [w.cursorKey] : []),
      ...(deploy.sendsMessages ? [w.vapidKeys] : []),
    ],
    environment: {
      ...(dynamo && { TABLE_NAME: w.table.name }),
      ...((verifies || deploy.signsTokens) && {
        JWT_ISSUER: w.tokenIssuer,
        JWT_AUDIENCE: w.stage.tokenAudience,
      }),
      ...(verifies && { QUEUELINE_PUBLIC_JWKS: w.publicJwks }),
      ...((deploy.sendsMail || deploy.sendsMessages) && { MAIL_FROM: w.stage.mailFrom, APP_URL: w.appUrl }),
      ...(deploy.sendsToCloseQueue && { CLOSE_QUEUE_URL: w.closeQueue.url }),
      ...(deploy.announcesLive && w.liveUrl && { LIVE_URL: w.liveUrl }),
      ...(push && { LIVE_MANAGEMENT_URL: push.managementUrl }),
      ...(deploy.publishesPushKey && { QUEUELINE_VAPID_PUBLIC_KEY: w.vapidPublicKey }),
      ...(deploy.sendsMessages && w.stage.smsOrigin && { SMS_ORIGIN: w.stage.smsOrigin }),
    },
    permissions: [
      ...(dynamo ? [tableAccess(w.table, dynamo)] : []),
      ...(deploy.sendsMail || deploy.sendsMessages ? [sendMail(w.mail)] : []),
      ...(deploy.sendsMessages ? [sendSms()] : []),
      ...(deploy.sendsToCloseQueue ? [{ actions: ['sqs:SendMessage'], resources: [w.closeQueue.arn] }] : []),
      ...(push ? [{ actions: ['execute-api:ManageConnections'], resources: [push.connectionsArn] }] : []),
      ...((extra.permissions as object[] | undefined) ?? []),
    ] as sst.aws.FunctionArgs['permissions'],
  });
}
