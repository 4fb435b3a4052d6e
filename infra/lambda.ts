import { METRICS_NAMESPACE, METRICS_SERVICE } from '#core/ports/metrics';
import { ARCHITECTURE, deployOf, MAIN_FIELDS, memoryMb, RUNTIME, timeoutSeconds } from './functions';
import type { StageConfig } from './stage';

/**
 * The settings every Queueline Lambda shares, for a function file under functions/, with its
 * memory, timeout and assets from the contract. The bundling mirrors scripts/build.ts (see
 * infra/functions.ts); SST adds the createRequire banner itself, so it is deliberately not passed
 * here. Logs: Lambda's JSON format (its own records are JSON too, next to Powertools Logger's
 * lines) kept for the stage's retention.
 */
export function lambda(
  fn: string,
  stage: Pick<StageConfig, 'logRetention' | 'logLevel'>,
  args: Pick<sst.aws.FunctionArgs, 'link' | 'permissions' | 'retries' | 'transform'> & {
    environment?: Record<string, $util.Input<string>>;
  } = {},
): sst.aws.FunctionArgs {
  const assets = deployOf(fn).assets ?? [];
  return {
    handler: `functions/${fn}.handler`,
    runtime: RUNTIME,
    architecture: ARCHITECTURE,
    memory: `${memoryMb(fn)} MB`,
    timeout: `${timeoutSeconds(fn)} seconds`,
    nodejs: {
      format: 'esm',
      minify: true,
      sourcemap: false,
      esbuild: { mainFields: MAIN_FIELDS, keepNames: true },
    },
    logging: { retention: stage.logRetention, format: 'json' },
    ...(assets.length > 0 ? { copyFiles: assets.map((from) => ({ from })) } : {}),
    ...args,
    environment: {
      LOG_LEVEL: stage.logLevel,
      POWERTOOLS_SERVICE_NAME: METRICS_SERVICE,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      ...args.environment,
    },
  };
}
