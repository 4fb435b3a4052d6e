import { type CallOptions, type Prepared, prepare, readResult } from '#tests/support/api';

/**
 * A route's real Lambda handler (the whole middy chain, functions/<name>.ts) with the event API
 * Gateway would build — tests/support/api.ts `prepare()`, kept apart from the invocation so that
 * building the event stays outside what the handler-overhead section times.
 */
export { type Prepared, prepare };

export interface Invoked {
  status: number;
  body: any;
  headers: Record<string, string>;
  /** Wall time of the handler alone, ms. */
  ms: number;
  /** CPU time (user + system, this process) while the handler ran, ms. */
  cpuMs: number;
}

export async function invoke(p: Prepared): Promise<Invoked> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await p.handler(p.event, p.context);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const { status, headers, json, text } = readResult(result);
  return { status, body: json ?? text, headers, ms, cpuMs };
}

/** prepare + invoke; throws when the status is not the expected one. */
export async function request(
  method: string,
  path: string,
  options: CallOptions = {},
  expect?: number | number[],
): Promise<Invoked> {
  const res = await invoke(await prepare(method, path, options));
  const ok =
    expect === undefined ? true : Array.isArray(expect) ? expect.includes(res.status) : res.status === expect;
  if (!ok) {
    throw new Error(
      `${method} ${path} → ${res.status}, expected ${expect}: ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`,
    );
  }
  return res;
}
