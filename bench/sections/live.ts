import { ulid } from 'ulid';
import WebSocket from 'ws';
import {
  type Budget,
  fixed,
  median,
  progress,
  quantile,
  saveSection,
  scaled,
  sleep,
  table,
  usd,
} from '#bench/lib/common';
import { benchEnv } from '#bench/lib/dynamo';
import { invoke, prepare, request } from '#bench/lib/invoke';
import { lambdaDurationMs, operationCost, PRICES } from '#bench/lib/pricing';
import { TZ } from '#bench/lib/seed';
import { memoryMb } from '#infra/functions';
import { startLiveServer } from '#local/live';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo, measured } from '#tests/support/dynamo-metrics';
import { mintToken } from '#tests/support/tokens';

/**
 * Section "live" — push instead of polling (docs/live.md). The local push server (local/live.ts:
 * DynamoDB Local's stream → branchChangesOf → fanOut → WebSocket) in process, with real
 * WebSocket clients.
 *
 * 1. Latency commit → screen: from call-next's response to the message at a WebSocket client,
 *    on the branch channel (the board) and on the called ticket's own channel (its status page).
 * 2. Cost per 1,000 tickets with 1, 10 and 100 board viewers per branch and every ticket's status
 *    page open: after (push) it is measured — the DynamoDB work of the fan-out (all requests in a
 *    run minus those of the same run with nobody watching) and the messages the clients got;
 *    before (polling) it is the measured cost of one poll times the polls the same day makes.
 */

const ROUNDS = scaled(40, 10);
const TICKETS = scaled(100, 20);
/** Customers already waiting when a cost run starts: every call moves their line. */
const WAITING = 5;
const VIEWERS = [1, 10, 100] as const;
/** The day the polling figures assume (the cost section's): 300 tickets in 10 open hours. */
const DAY = { ticketsPerBranchDay: 300, openHours: 10, averageWaitMinutes: 12 };
const POLL = { boardSeconds: 3, statusSeconds: 5 };
/** API Gateway WebSocket: $1.00 per million messages (32 KB each), $0.25 per million connection minutes. */
const WS_PRICES = { message: 1.0 / 1e6, connectionMinute: 0.25 / 1e6 };

interface Client {
  messages: any[];
  send(m: unknown): void;
  until(match: (m: any) => boolean, from?: number, ms?: number): Promise<{ message: any; at: number }>;
  close(): void;
}

/** A WebSocket client that stamps every message with its arrival time (performance.now). */
async function connect(url: string): Promise<Client> {
  const ws = new WebSocket(url);
  const messages: any[] = [];
  const arrived: number[] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (data) => {
    arrived.push(performance.now());
    messages.push(JSON.parse(data.toString()));
    wake?.();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    messages,
    send: (m) => ws.send(JSON.stringify(m)),
    async until(match, from = 0, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = messages.findIndex((m, j) => j >= from && match(m));
        if (i >= 0) return { message: messages[i], at: arrived[i]! };
        if (Date.now() > deadline) throw new Error('live: no such message within 10 s');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
    close: () => ws.close(),
  };
}

async function main() {
  const started = Date.now();
  const { env, close } = await benchEnv({ stream: true });
  const live = await startLiveServer({
    port: 0,
    host: '127.0.0.1',
    endpoint: process.env.DYNAMODB_ENDPOINT!,
    tableName: env.tableName,
    log: (line) => progress(line),
  });
  const clients: Client[] = [];
  const open = async () => {
    const c = await connect(live.url);
    clients.push(c);
    return c;
  };
  try {
    const f = await createBranchFixture({ tenantId: ulid(), timezone: TZ });
    const admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const display = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'display' });
    const base = `/v1/branches/${f.branchId}`;
    const auth = { token: admin };
    const issue = async () =>
      (await request('POST', `${base}/tickets`, { ...auth, body: { queueId: f.queues.G!.id } }, 201)).body
        .ticket as { id: string; code: string; publicToken: string };
    const callNext = () =>
      request('POST', `${base}/counters/${f.counters['Counter 1']}/call-next`, auth, 200);
    const act = (id: string, action: string) => request('POST', `${base}/tickets/${id}/${action}`, auth, 200);
    const subscribeBranch = async (c: Client) => {
      c.send({ action: 'subscribe', branchId: f.branchId, token: display });
      await c.until((m) => m.type === 'subscribed');
    };
    const subscribeTicket = async (c: Client, publicToken: string) => {
      const from = c.messages.length;
      c.send({ action: 'subscribe', publicToken });
      await c.until((m) => m.type === 'subscribed', from);
    };

    // ---- 1. latency: call-next's response → the message at a client
    const board = await open();
    await subscribeBranch(board);
    const phone = await open();
    const toBoard: number[] = [];
    const toStatus: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ticket = await issue();
      await subscribeTicket(phone, ticket.publicToken);
      await sleep(150); // the issue's own messages have gone out
      const fromBoard = board.messages.length;
      const fromPhone = phone.messages.length;
      await callNext();
      const committed = performance.now();
      const [b, s] = await Promise.all([
        board.until(
          (m) => m.type === 'board' && m.board.counters.some((c: any) => c.current?.code === ticket.code),
          fromBoard,
        ),
        phone.until((m) => m.type === 'ticket' && m.ticket.status === 'called', fromPhone),
      ]);
      toBoard.push(b.at - committed);
      toStatus.push(s.at - committed);
      await act(ticket.id, 'complete');
      phone.send({ action: 'unsubscribe', channel: `ticket/${ticket.publicToken}` });
      if ((round + 1) % 10 === 0) progress(`live: latency round ${round + 1}/${ROUNDS}`);
    }
    board.close();
    phone.close();
    await sleep(300);

    // ---- 2. cost of push: one branch's day of TICKETS tickets, with V boards and every status page open
    /** Issue, call, start, complete TICKETS tickets with WAITING always waiting ahead. */
    const day = async (viewers: number, statusPages: boolean) => {
      const boards = await Promise.all(Array.from({ length: viewers }, open));
      for (const b of boards) await subscribeBranch(b);
      const phones: Client[] = [];
      const newTicket = async () => {
        const t = await issue();
        if (statusPages) {
          const p = await open();
          await subscribeTicket(p, t.publicToken);
          phones.push(p);
        }
        return t;
      };
      const line: Array<{ id: string }> = [];
      for (let i = 0; i < WAITING; i++) line.push(await newTicket());
      await sleep(300);
      const counted = [...boards, ...phones].reduce((n, c) => n + c.messages.length, 0);
      const metrics = measureDynamo();
      for (let i = 0; i < TICKETS; i++) {
        line.push(await newTicket());
        await callNext();
        const called = line.shift()!;
        await act(called.id, 'start');
        await act(called.id, 'complete');
      }
      await sleep(500); // the last changes' messages
      metrics.stop();
      const messages = [...boards, ...phones].reduce((n, c) => n + c.messages.length, 0) - counted;
      // The status pages' own subscribes (the tickets issued while measuring) are not push messages.
      const result = {
        requests: metrics.requests(),
        rru: metrics.capacity().read,
        messages: messages - (statusPages ? TICKETS : 0),
      };
      for (const c of [...boards, ...phones]) c.close();
      // The line left waiting is served off the record, so the next run starts alike.
      for (const t of line) {
        await callNext();
        await act(t.id, 'complete');
      }
      await sleep(300);
      return result;
    };
    const quiet = await day(0, false);
    progress(`live: nobody watching: ${quiet.requests} requests`);
    const runs: Array<{ viewers: number; requests: number; rru: number; messages: number }> = [];
    for (const viewers of VIEWERS) {
      const r = await day(viewers, true);
      runs.push({
        viewers,
        requests: r.requests - quiet.requests,
        rru: r.rru - quiet.rru,
        messages: r.messages,
      });
      progress(
        `live: ${viewers} viewer(s): ${r.requests - quiet.requests} fan-out requests, ${r.messages} messages`,
      );
    }

    // ---- the polls it replaces: one of each, measured
    const pollOf = async (path: string, options: object, status: number) => {
      const p = await prepare('GET', path, options);
      await invoke(p); // warm
      const { result, metrics } = await measured(() => invoke(p));
      if (result.status !== status) throw new Error(`${path} → ${result.status}`);
      return { requests: metrics.requests(), read: metrics.capacity().read, write: metrics.capacity().write };
    };
    const t = await issue();
    const boardRes = await request('GET', `${base}/board`, auth, 200);
    const poll = {
      board: await pollOf(`${base}/board`, auth, 200),
      board304: await pollOf(
        `${base}/board`,
        { ...auth, headers: { 'if-none-match': boardRes.headers.etag! } },
        304,
      ),
      status: await pollOf(`/v1/public/tickets/${t.publicToken}`, { sourceIp: '198.51.100.7' }, 200),
    };

    // Polls per ticket: boards poll all day, split over its tickets; a status page polls through its wait.
    const secondsPerTicket = (DAY.openHours * 3600) / DAY.ticketsPerBranchDay;
    const boardPolls = secondsPerTicket / POLL.boardSeconds;
    // A full board after each of a ticket's 4 changes and at each new minute (its ETag has the minute).
    const boardFull = Math.min(boardPolls, 4 + secondsPerTicket / 60);
    const statusPolls = (DAY.averageWaitMinutes * 60) / POLL.statusSeconds;
    const pollCost = (r: { requests: number; read: number; write: number }, fn: string) =>
      operationCost(r, memoryMb(fn)).total;
    const per1000 = (n: number) => n * 1000;
    const rows = VIEWERS.map((viewers) => {
      const run = runs.find((r) => r.viewers === viewers)!;
      const before = {
        requests: per1000(
          viewers * (boardFull * poll.board.requests + (boardPolls - boardFull) * poll.board304.requests) +
            statusPolls * poll.status.requests,
        ),
        rru: per1000(
          viewers * (boardFull * poll.board.read + (boardPolls - boardFull) * poll.board304.read) +
            statusPolls * poll.status.read,
        ),
        usd: per1000(
          viewers *
            (boardFull * pollCost(poll.board, 'board') +
              (boardPolls - boardFull) * pollCost(poll.board304, 'board')) +
            statusPolls * pollCost(poll.status, 'public-ticket'),
        ),
      };
      const scale = 1000 / TICKETS;
      const requests = run.requests * scale;
      const rru = run.rru * scale;
      const messages = run.messages * scale;
      // The fan-out function: one invocation per ticket change (4 per ticket) doing the measured reads.
      const invocations = 4 * 1000;
      const lambda =
        invocations * PRICES.lambdaRequest +
        (memoryMb('live-fan-out') / 1024) *
          (lambdaDurationMs(requests / invocations) / 1000) *
          invocations *
          PRICES.lambdaGbSecondArm;
      const connectionMinutes = 1000 * (viewers * (secondsPerTicket / 60) + DAY.averageWaitMinutes);
      const after = {
        requests,
        rru,
        messages,
        usd:
          rru * PRICES.rru +
          lambda +
          messages * WS_PRICES.message +
          connectionMinutes * WS_PRICES.connectionMinute,
      };
      return { viewers, before, after };
    });

    const latency = (v: number[]) => ({ p50: median(v), p95: quantile(v, 0.95), max: Math.max(...v) });
    const lb = latency(toBoard);
    const ls = latency(toStatus);
    const one = rows[0]!;
    const budgets: Budget[] = [
      {
        name: 'live: commit → board message at a WebSocket client, p95 (local push server)',
        target: '≤ 1,000 ms',
        measured: `p50 ${fixed(lb.p50, 0)} ms, p95 ${fixed(lb.p95, 0)} ms`,
        pass: lb.p95 <= 1000,
      },
      {
        name: 'live: commit → status page message at a WebSocket client, p95',
        target: '≤ 1,000 ms',
        measured: `p50 ${fixed(ls.p50, 0)} ms, p95 ${fixed(ls.p95, 0)} ms`,
        pass: ls.p95 <= 1000,
      },
      {
        name: 'live: DynamoDB reads of the fan-out, 1 vs 100 board viewers',
        target: 'the same (cost per change, not per viewer)',
        measured: `${fixed(rows[0]!.after.rru, 0)} vs ${fixed(rows[2]!.after.rru, 0)} RRU per 1,000 tickets`,
        pass: Math.abs(rows[0]!.after.rru - rows[2]!.after.rru) <= 0.05 * rows[0]!.after.rru,
      },
      {
        name: 'live: US$ per 1,000 tickets, a board and every status page open (push)',
        target: '≤ $0.05',
        measured: `${usd(one.after.usd, 4)} (polling: ${usd(one.before.usd, 4)})`,
        pass: one.after.usd <= 0.05,
      },
    ];

    const md: string[] = [];
    md.push(
      `The local push server (DynamoDB Local's stream, read every 50 ms → branchChangesOf → fanOut → \`ws\`) in process with WebSocket clients on 127.0.0.1. Latency: ${ROUNDS} calls, each from call-next's response (the commit) to the message at a client.`,
    );
    md.push('');
    md.push(
      table(
        ['commit → …', 'p50 ms', 'p95 ms', 'max ms', 'samples'],
        [
          ['board (branch channel)', fixed(lb.p50, 0), fixed(lb.p95, 0), fixed(lb.max, 0), toBoard.length],
          [
            'status page (ticket channel)',
            fixed(ls.p50, 0),
            fixed(ls.p95, 0),
            fixed(ls.max, 0),
            toStatus.length,
          ],
        ],
        'lrrrr',
      ),
    );
    md.push('');
    md.push(
      `Cost per 1,000 tickets. Push: measured over ${TICKETS} tickets served (issue, call, start, complete) with ${WAITING} always waiting, every ticket's status page open, and 1, 10 or 100 boards on the branch: the fan-out's DynamoDB requests and read units (all requests of the run minus the same run with nobody watching) and the messages the clients received. Polling (before): one poll measured — board ${poll.board.requests} requests / ${fixed(poll.board.read)} RRU, board answered 304 ${poll.board304.requests} / ${fixed(poll.board304.read)}, status ${poll.status.requests} / ${fixed(poll.status.read)} — times the polls of a day of ${DAY.ticketsPerBranchDay} tickets in ${DAY.openHours} open hours: each board polls every ${POLL.boardSeconds} s (${fixed(boardPolls)} polls per ticket, ${fixed(boardFull)} of them full reads), each status page every ${POLL.statusSeconds} s through a ${DAY.averageWaitMinutes}-minute wait (${fixed(statusPolls)} polls).`,
    );
    md.push('');
    md.push(
      table(
        [
          'board viewers',
          'DynamoDB requests, polling',
          'RRU, polling',
          'US$, polling',
          'DynamoDB requests, push',
          'RRU, push',
          'push messages',
          'US$, push',
        ],
        rows.map((r) => [
          r.viewers,
          fixed(r.before.requests, 0),
          fixed(r.before.rru, 0),
          usd(r.before.usd, 4),
          fixed(r.after.requests, 0),
          fixed(r.after.rru, 0),
          fixed(r.after.messages, 0),
          usd(r.after.usd, 4),
        ]),
        'rrrrrrrr',
      ),
    );
    md.push('');
    md.push(
      `US$: polling = DynamoDB + Lambda + HTTP API per poll (bench/lib/pricing.ts); push = the fan-out's DynamoDB reads, one fan-out invocation per change (4 per ticket), API Gateway WebSocket messages ($${WS_PRICES.message * 1e6} per million) and connection minutes ($${WS_PRICES.connectionMinute * 1e6} per million: the boards all day, each status page through its wait). Not in the push figures: the AWS connection registry (a write per subscribe, a Query per changed channel; docs/live.md).`,
    );

    saveSection({
      id: 'live',
      title: '10. Live updates: push vs polling',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: { toBoard, toStatus, runs, quiet, poll, rows },
    });
    progress('live: done');
  } finally {
    for (const c of clients) c.close();
    await live.close();
    await close();
  }
}

await main();
