import { ARCHITECTURE, deployOf, MAIN_FIELDS, memoryMb, RUNTIME, timeoutSeconds } from './functions';

/**
 * The settings every Queueline Lambda shares, for a function file under functions/, with its
 * memory, timeout and assets from the contract. The bundling mirrors scripts/build.ts (see
 * infra/functions.ts); SST adds the createRequire banner itself, so it is deliberately not passed here.
 */
export function lambda(
  fn: string,
  args: {
    link?: sst.aws.FunctionArgs['link'];
    environment?: Record<string, $util.Input<string>>;
    permissions?: sst.aws.FunctionArgs['permissions'];
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
    ...(assets.length > 0 ? { copyFiles: assets.map((from) => ({ from })) } : {}),
    ...args,
    environment: {
      LOG_LEVEL: process.env.QUEUELINE_LOG_LEVEL ?? 'info',
      ...args.environment,
    },
  };
}
