import { Session } from 'node:inspector/promises';
import { ROOT } from './common';

/**
 * Where the CPU of a stretch of work goes, from V8's sampling profiler (node:inspector, this
 * process): self time per module family, native and node-internal frames counted for the
 * package or first-party module that called them. Idle time (waiting for DynamoDB) is left
 * out, so the shares are of the time the main thread was busy — our code and the SDK's alike.
 * On a busy machine a descheduled thread is sampled where it stopped (often in a syscall), so
 * treat the shares as indicative.
 */
export interface CpuShare {
  group: string;
  ms: number;
  share: number;
}

function groupOf(url: string, fn: string): string {
  if (!url) {
    if (fn === '(garbage collector)') return 'V8: garbage collection';
    if (fn === '(program)') return 'V8/native (program)';
    if (/^(writev|writeUtf8String|writeLatin1String|writeBuffer|writeAsciiString)$/.test(fn))
      return 'socket writes (kernel; loopback TCP to DynamoDB Local)';
    if (fn === 'dispatch') return 'the profiler itself (inspector)';
    if (fn === 'runMicrotasks') return 'V8: promise jobs';
    return `V8/native: ${fn}`;
  }
  if (url.startsWith('node:internal/crypto') || url === 'node:crypto') return 'node: crypto';
  if (url.startsWith('node:')) return 'node: other internals';
  const path = decodeURIComponent(url.replace(/^file:\/\//, '')).replace(`${ROOT}/`, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (/^@(aws-sdk|smithy|aws-crypto)\//.test(pkg)) return 'AWS SDK (@aws-sdk, @smithy)';
    if (pkg === 'tsx' || pkg === 'esbuild') return 'tsx loader';
    return pkg.startsWith('@aws-lambda-powertools/') ? 'Powertools logger' : pkg;
  }
  const parts = path.split('/');
  if (parts[0] === 'bench' || parts[0] === 'tests' || parts[0] === 'local') return 'bench harness';
  if (parts[0] === 'functions') return parts.length > 2 ? `functions/${parts[1]}` : 'functions/<handler>';
  if (parts[0] === 'core' || parts[0] === 'infra') return `${parts[0]}/${parts[1]}`;
  return path;
}

export interface CpuProfile {
  groups: CpuShare[];
  /** The functions with the most self time (native work counted for its JS caller), outside the bench harness. */
  functions: CpuShare[];
}

const short = (url: string) =>
  decodeURIComponent(url.replace(/^file:\/\//, ''))
    .replace(`${ROOT}/`, '')
    .replace(/^.*node_modules\//, '');

export async function profileCpu(work: () => Promise<void>, intervalUs = 100): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Native frames (syscalls such as writev, crypto, JSON) and Node's own internals count for
    // the nearest caller in a package or in our code: the SDK's socket writes are the SDK's cost.
    const own = (n: (typeof profile.nodes)[number]) =>
      n.callFrame.url && !n.callFrame.url.startsWith('node:');
    const attributed = (id: number) => {
      let node = nodes.get(id)!;
      const fn = node.callFrame.functionName;
      if (fn === '(garbage collector)' || fn === '(program)' || fn === '(idle)') return node;
      const start = node;
      while (!own(node) && parent.has(node.id)) {
        const up = nodes.get(parent.get(node.id)!)!;
        if (up.callFrame.functionName === '(root)') return start;
        node = up;
      }
      return own(node) ? node : start;
    };
    const byGroup = new Map<string, number>();
    const byFunction = new Map<string, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const node = attributed(samples[i]!);
      const fn = node.callFrame.functionName;
      if (fn === '(idle)') continue;
      const g = groupOf(node.callFrame.url, fn);
      const ms = (deltas[i] ?? 0) / 1000;
      byGroup.set(g, (byGroup.get(g) ?? 0) + ms);
      if (node.callFrame.url && g !== 'bench harness' && g !== 'tsx loader') {
        const key = `${fn || '(anonymous)'} — ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
        byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      }
    }
    const total = [...byGroup.values()].reduce((a, b) => a + b, 0);
    const shares = (m: Map<string, number>) =>
      [...m].map(([group, ms]) => ({ group, ms, share: ms / total })).sort((a, b) => b.ms - a.ms);
    return { groups: shares(byGroup), functions: shares(byFunction).slice(0, 15) };
  } finally {
    await session.post('Profiler.disable').catch(() => {});
    session.disconnect();
  }
}
