/**
 * What differs between stages. The values live in sst.config.ts (`STAGES`), next to the one
 * `isProduction` that also decides `removal` and `protect`; a deploy reads nothing from the
 * deploying shell's environment, so two deploys of the same commit to a stage configure it alike.
 * Plain TypeScript: no SST globals, so the tests and docs generator import it.
 */
export interface StageConfig {
  /**
   * The API's own domain (e.g. `api.queueline.example`), its DNS in a Route 53 zone of the
   * account; without one, the execute-api URL, which changes if the API is ever recreated.
   */
  apiDomain?: string;
  /** The web app's own domain (e.g. `app.queueline.example`), like `apiDomain`; without one, CloudFront's. */
  webDomain?: string;
  /**
   * Who mails come from: `From` of every mail. SES must have verified it: the infra creates the
   * identity `mailIdentity` (sst.aws.Email), and its owner confirms it (an address) or publishes
   * its DKIM records (a domain; done by SST when `mailDns` is set and the zone is in Route 53).
   */
  mailFrom: string;
  /** The SES identity to create: the domain of `mailFrom` (any address of it may send) or the address itself. */
  mailIdentity: string;
  /** Another stage of this account created the identity: use it rather than create it again (SES has one per account and region). */
  mailShared?: boolean;
  /** The domain's DNS is a Route 53 zone of this account: SST publishes the DKIM, SPF and DMARC records. */
  mailDns?: boolean;
  /**
   * Where customers' SMS come from (AWS End User Messaging): an origination phone number, sender
   * id or pool ARN/id of the account; absent, the account's default for the destination country.
   */
  smsOrigin?: string;
  /** `iss` of access tokens; default `https://<apiDomain>` with a domain, else `urn:queueline:<stage>`. */
  tokenIssuer?: string;
  /** `aud` of access tokens. */
  tokenAudience?: string;
  /** Where alarms go (an SNS email subscription, confirmed from the first mail); none: the topic only. */
  alarmEmail?: string;
  /** API Gateway stage throttling: steady requests per second and the burst above it, for the whole API. */
  throttle: { ratePerSecond: number; burst: number };
  /** How long CloudWatch keeps the functions' and the API's logs. */
  logRetention: '1 week' | '2 weeks' | '1 month' | '3 months' | '6 months' | '1 year';
  /** `LOG_LEVEL` of the functions. */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** The values every stage has unless its entry in sst.config.ts says otherwise. */
export const STAGE_DEFAULTS = {
  tokenAudience: 'queueline-api',
  throttle: { ratePerSecond: 50, burst: 100 },
  logRetention: '2 weeks',
  logLevel: 'info',
} as const satisfies Partial<StageConfig>;

/**
 * The stage's throttling on an API Gateway stage — a `transform.stage` of the HTTP API and of the
 * live WebSocket API alike (a WebSocket frame is a request too).
 */
export const throttledStage =
  ({ throttle }: Pick<StageConfig, 'throttle'>) =>
  (args: { defaultRouteSettings?: unknown }): undefined => {
    args.defaultRouteSettings = {
      throttlingRateLimit: throttle.ratePerSecond,
      throttlingBurstLimit: throttle.burst,
    };
  };

/** The token issuer of a stage: stable across API re-creations unless the API's own domain names it. */
export function tokenIssuer(stage: string, config: Pick<StageConfig, 'apiDomain' | 'tokenIssuer'>): string {
  return config.tokenIssuer ?? (config.apiDomain ? `https://${config.apiDomain}` : `urn:queueline:${stage}`);
}
