import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '#scripts/build';

/**
 * Runs the real SST app — sst.config.ts, infra/ and SST's own components from `.sst/platform`
 * (put there by `npm run check:infra`) — under Pulumi's mocks (`pulumi.runtime.setMocks`), and
 * records the resource graph it would deploy: every Pulumi resource with its resolved inputs,
 * the IAM policy documents, and what SST would build and encrypt into each function package.
 *
 * What the SST CLI (Go) provides to a deploy is stood in for here: the globals it injects
 * (`$app`, `$cli`, `$dev`, `sst`, `aws` and those of `.sst/platform/src/shim/run.js`), the
 * secrets (SST_SECRET_<name>), and its RPC server, which builds function bundles (`Runtime.Build`,
 * answered with a stub package: bundling is tests/integration/build.test.ts's job) and gives the
 * bootstrap bucket. Nothing reaches AWS.
 */
export interface Resource {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export interface Graph {
  config: { app(input: { stage: string }): Record<string, unknown>; run(): Promise<Record<string, unknown>> };
  outputs: Record<string, unknown>;
  resources: Resource[];
  /** The inputs of each `Runtime.Build` RPC: `handler` and the linked resources encrypted into the package (`links`). */
  builds: { handler: string; links: Record<string, unknown>; copyFiles: { to: string; isDir: boolean }[] }[];
}

export const PLATFORM = join(ROOT, '.sst', 'platform');
export const platformInstalled = () => existsSync(join(PLATFORM, 'src', 'components', 'aws', 'index.ts'));

const importPlatform = (path: string) => import(/* @vite-ignore */ pathToFileURL(join(PLATFORM, path)).href);

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/** What AWS would return for a resource the mocks create: its inputs plus the attributes the app reads. */
function stateOf(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const arn = `arn:aws:${type}:${name}`;
  const extra: Record<string, any> = { arn, name: inputs.name ?? name };
  if (type === 'aws:apigatewayv2/api:Api') {
    const scheme = inputs.protocolType === 'WEBSOCKET' ? 'wss' : 'https';
    extra.apiEndpoint = `${scheme}://${name}.execute-api.${REGION}.amazonaws.com`;
    extra.executionArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${name}-id`;
  }
  if (type === 'aws:lambda/function:Function')
    extra.invokeArn = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`;
  if (type === 'aws:dynamodb/table:Table' && inputs.streamEnabled)
    extra.streamArn = `${arn}/stream/2026-01-01T00:00:00.000`;
  if (type === 'aws:cloudfront/distribution:Distribution') extra.domainName = 'd111111abcdef8.cloudfront.net';
  if (type === 'aws:sqs/queue:Queue') extra.url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  if (type === 'random:index/randomBytes:RandomBytes') extra.base64 = Buffer.alloc(32, 1).toString('base64');
  if (type === 'aws:sesv2/configurationSet:ConfigurationSet')
    extra.configurationSetName = inputs.configurationSetName ?? name;
  return { ...inputs, ...extra };
}

/** IAM's policy document data source, as AWS renders it (the app's inline policies are these). */
function policyDocument(inputs: {
  statements?: { effect?: string; actions?: string[]; resources?: string[] }[];
}) {
  const Statement = (inputs.statements ?? []).map((s) => ({
    Effect: s.effect ?? 'Allow',
    Action: s.actions,
    Resource: s.resources,
  }));
  return { json: JSON.stringify({ Version: '2012-10-17', Statement }), statements: inputs.statements };
}

async function startRpc(work: string, builds: Graph['builds']) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const { method, params } = JSON.parse(body) as { method: string; params: any[] };
      const input = params[0] ?? {};
      const answer = (result: unknown) => res.end(JSON.stringify({ result, error: null }));
      if (method === 'Runtime.Build') {
        builds.push({ handler: input.handler, links: input.links ?? {}, copyFiles: input.copyFiles ?? [] });
        const out = join(work, 'builds', String(input.functionID));
        const file = join(out, `${input.handler.replace(/\.[^.]+$/, '')}.mjs`);
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, 'export const handler = async () => ({});\n');
        answer({ handler: input.handler, out, errors: [], sourcemaps: [] });
      } else if (method === 'Provider.Aws.Bootstrap') {
        answer({
          asset: 'sst-asset-bucket',
          assetEcrRegistryId: ACCOUNT,
          assetEcrUrl: 'ecr.example',
          state: 'sst-state',
        });
      } else {
        res.end(JSON.stringify({ error: `rpc: can't find ${method}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Resolves once nothing new was registered for a while: Pulumi's outputs settle asynchronously. */
async function settled(resources: Resource[], builds: Graph['builds']) {
  let last = -1;
  while (last !== resources.length + builds.length) {
    last = resources.length + builds.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

/**
 * Deploys (in mocks) the app to `stage` with these secret values. The caller's process is
 * given SST's globals and its cwd is a scratch directory holding a stub web build (StaticSite
 * checks `web/dist` exists and writes `web/src/sst-env.d.ts` next to a Vite config).
 */
export async function deployInMocks(stage: string, secrets: Record<string, string>): Promise<Graph> {
  const work = mkdtempSync(join(tmpdir(), 'queueline-sst-'));
  const builds: Graph['builds'] = [];
  const resources: Resource[] = [];
  const server = await startRpc(work, builds);
  process.env.SST_SERVER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SST_AWS_REGION = REGION;
  for (const [name, value] of Object.entries(secrets)) process.env[`SST_SECRET_${name}`] = value;
  mkdirSync(join(work, 'web', 'dist'), { recursive: true });
  writeFileSync(join(work, 'web', 'dist', 'index.html'), '<!doctype html>');
  const cwd = process.cwd();
  process.chdir(work);
  try {
    const pulumi = await importPlatform('node_modules/@pulumi/pulumi/index.js');
    await pulumi.runtime.setMocks(
      {
        newResource: ({ type, name, inputs }: Resource) => {
          resources.push({ type, name, inputs });
          return { id: `${name}-id`, state: stateOf(type, name, inputs) };
        },
        call: ({ token, inputs }: { token: string; inputs: any }) => {
          if (token === 'aws:index/getRegion:getRegion') return { region: REGION, name: REGION, id: REGION };
          if (token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: ACCOUNT };
          if (token === 'aws:index/getPartition:getPartition')
            return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
          if (token === 'aws:iam/getPolicyDocument:getPolicyDocument') return policyDocument(inputs);
          return inputs;
        },
      },
      'queueline',
      stage,
      false,
    );
    const g = globalThis as any;
    for (const [key, value] of Object.entries(await importPlatform('src/shim/run.js'))) g[key] = value;
    const config = (await import(/* @vite-ignore */ pathToFileURL(join(ROOT, 'sst.config.ts')).href)).default;
    const app = config.app({ stage });
    g.$app = { name: app.name, stage, removal: app.removal, protect: app.protect, providers: {} };
    g.$dev = false;
    g.$cli = {
      command: 'deploy',
      paths: { root: ROOT, work: join(work, 'work'), platform: PLATFORM, home: work },
    };
    g.aws = await importPlatform('node_modules/@pulumi/aws/index.js');
    const { Secret } = await importPlatform('src/components/secret.ts');
    g.sst = { aws: await importPlatform('src/components/aws/index.ts'), Secret };
    const outputs = await config.run();
    await settled(resources, builds);
    const resolved = Object.fromEntries(
      await Promise.all(
        Object.entries(outputs).map(
          async ([key, value]) =>
            [key, await new Promise((resolve) => pulumi.output(value).apply(resolve))] as const,
        ),
      ),
    );
    return { config, outputs: resolved, resources, builds };
  } finally {
    process.chdir(cwd);
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
