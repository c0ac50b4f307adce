/**
 * Steady load through a router during a cutover, every failed request sorted by kind: refused,
 * reset, timed out, 5xx, and 503 with Retry-After (the maintenance answer: a client told to come
 * back, not a failure of the router) — plus the longest stretch without a 2xx answer. Bounded in
 * time and count, loopback only (a test tool, not a weapon).
 *
 * Node's own http client with keep-alive connections, each sending on a fixed schedule: autocannon
 * (tried first) rate-limits per second, so each connection sends its share in a burst at the start
 * of every second and idles after it, which hides or invents gaps of up to a second.
 *   npx tsx bench/load-generator.ts --url http://127.0.0.1:8100/health [--seconds 30] [--rate 200]
 */
import http from 'node:http';

export interface LoadOptions {
  url: string;
  /** concurrent connections */
  connections?: number;
  /** keep connections open between requests (default true); false: a new connection per request */
  keepAlive?: boolean;
  /** requests per second over all connections */
  rate?: number;
  /** hard bounds: whichever comes first */
  maxSeconds?: number;
  maxRequests?: number;
}

export interface LoadReport {
  url: string;
  seconds: number;
  requests: number;
  ok: number;
  failed: { refused: number; reset: number; timeout: number; otherError: number; '5xx': number; '4xx': number };
  /** 503 answers that carried Retry-After (counted apart from 5xx) */
  retryAfter503: number;
  /**
   * requests resent once because a reused keep-alive connection was closed as they went out (not failures unless the
   * resend failed)
   */
  resentAfterIdleClose: number;
  /** the longest time without a 2xx answer, and when it was */
  longestGapMs: number;
  gapFrom?: string;
  /** first and last 503 + Retry-After: the maintenance window as clients saw it */
  maintenance?: { from: string; to: string; ms: number };
  /** every failed request and every resend, as the client saw it (the first 200 kept) */
  events: LoadEvent[];
}

/** One failed request or resend: enough to tell a server's keep-alive close from a real failure. */
export interface LoadEvent {
  /** epoch ms when the error was seen, and when the request went out */
  at: number;
  sentAt: number;
  outcome: 'resent' | keyof LoadReport['failed'];
  code?: string;
  message: string;
  /** the request went out on a keep-alive connection that had carried an earlier request */
  reused: boolean;
  /** bytes of the answer that had arrived on this connection for this request */
  answerBytes: number;
  /** the request was itself a resend */
  resend: boolean;
  localPort?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface RunningLoad {
  stop(): Promise<LoadReport>;
  /** waits until the count or time bound ends the load */
  bounded(): Promise<LoadReport>;
}

export function startLoad(o: LoadOptions): RunningLoad {
  const host = new URL(o.url).hostname;
  if (!LOOPBACK.has(host))
    throw new Error(`load generator: ${o.url} is not a loopback address; it only ` + `loads this machine`);
  const maxSeconds = Math.min(o.maxSeconds ?? 600, 3600);
  const rate = Math.min(o.rate ?? 200, 2000);
  const connections = o.connections ?? 4;
  const maxRequests = o.maxRequests ?? rate * maxSeconds;
  const report: LoadReport = {
    url: o.url,
    seconds: 0,
    requests: 0,
    ok: 0,
    failed: { refused: 0, reset: 0, timeout: 0, otherError: 0, '5xx': 0, '4xx': 0 },
    retryAfter503: 0,
    resentAfterIdleClose: 0,
    longestGapMs: 0,
    events: [],
  };
  const started = Date.now();
  // gaps count from the first 2xx to the stop request
  let lastOk: number | undefined;
  let stopping = false;
  const gap = (now: number) => {
    if (lastOk !== undefined && now - lastOk > report.longestGapMs) {
      report.longestGapMs = now - lastOk;
      report.gapFrom = new Date(lastOk).toISOString();
    }
  };
  const agent = new http.Agent({ keepAlive: o.keepAlive ?? true, maxSockets: connections });
  const answered = (status: number, headers: http.IncomingHttpHeaders) => {
    const now = Date.now();
    if (status >= 200 && status < 300) {
      gap(now);
      lastOk = now;
      report.ok++;
    } else if (status === 503 && headers['retry-after'] !== undefined) {
      report.retryAfter503++;
      // the window is the one after serving began (not the router still finding V1 at the start)
      const at = new Date(now).toISOString();
      if (lastOk !== undefined)
        report.maintenance = {
          from: report.maintenance?.from ?? at,
          to: at,
          ms: now - Date.parse(report.maintenance?.from ?? at),
        };
    } else if (status >= 500) report.failed['5xx']++;
    else if (status >= 400) report.failed['4xx']++;
    else report.ok++;
  };
  const kindOf = (err: NodeJS.ErrnoException): keyof LoadReport['failed'] =>
    err.code === 'ECONNREFUSED'
      ? 'refused'
      : err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up'
        ? 'reset'
        : err.code === 'ETIMEDOUT'
          ? 'timeout'
          : 'otherError';
  // connections that already carried a request: Node's req.reusedSocket misses a queued request
  // handed a socket freed by another, so reuse is tracked here
  const used = new WeakSet<import('node:net').Socket>();
  const record = (e: LoadEvent) => {
    if (report.events.length < 200) report.events.push(e);
  };
  // A reset on a REUSED keep-alive connection before any answer byte is the server closing an
  // idle connection as the request went out (an nginx reload does that): HTTP clients resend an
  // idempotent request then (RFC 9112 §9.3.1), so do we, once, and count it apart. The resend
  // goes on a FRESH connection (as curl does: "retrying a fresh connect"): the other pooled
  // connections were closed by the same server at the same moment, and a request written on one
  // before its FIN is read meets the same reset. A failure of the resend counts.
  const once = (first = true): Promise<void> =>
    new Promise<void>((resolve) => {
      if (first) report.requests++;
      const sentAt = Date.now();
      let socket: import('node:net').Socket | undefined;
      let bytesBefore = 0;
      let reused = false;
      let settled = false;
      const req = http.get(o.url, { agent: first ? agent : false, timeout: 5_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (settled) return;
          settled = true;
          answered(res.statusCode ?? 0, res.headers);
          resolve();
        });
        res.on('error', (e) => fail(e));
      });
      req.on('socket', (s) => {
        socket = s;
        bytesBefore = s.bytesRead;
        reused = used.has(s);
        used.add(s);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      const fail = (e: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        const answerBytes = socket ? socket.bytesRead - bytesBefore : 0;
        const kind = kindOf(e);
        const closedIdle = first && reused && answerBytes === 0 && kind === 'reset';
        record({
          at: Date.now(),
          sentAt,
          outcome: closedIdle ? 'resent' : kind,
          code: e.code,
          message: e.message,
          reused,
          answerBytes,
          resend: !first,
          localPort: socket?.localPort,
        });
        if (!closedIdle) return (report.failed[kind]++, resolve());
        report.resentAfterIdleClose++;
        void once(false).then(resolve);
      };
      req.on('error', fail);
    });
  // each connection sends on its own fixed schedule, offset so the load is even
  const everyMs = (1000 * connections) / rate;
  const loops = Array.from({ length: connections }, async (_, i) => {
    let due = Date.now() + (i * everyMs) / connections;
    while (!stopping && report.requests < maxRequests && Date.now() - started < maxSeconds * 1000) {
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      if (stopping) break;
      await once();
      due += everyMs;
    }
  });
  const finished = Promise.all(loops);
  return {
    async bounded() {
      await finished;
      return this.stop();
    },
    async stop() {
      const now = Date.now();
      gap(now);
      report.seconds = (now - started) / 1000;
      stopping = true;
      await finished;
      agent.destroy();
      return report;
    },
  };
}

export const failedTotal = (r: LoadReport) => Object.values(r.failed).reduce((a, b) => a + b, 0);

export function describeLoad(r: LoadReport): string {
  const f = r.failed;
  return [
    `${r.requests} requests in ${r.seconds.toFixed(1)} s through ${r.url}: ${r.ok} 2xx, ${failedTotal(r)} failed`,
    `(refused ${f.refused}, reset ${f.reset}, timeout ${f.timeout}, ` +
      `5xx ${f['5xx']}, 4xx ${f['4xx']}, other ${f.otherError});`,
    `${r.retryAfter503} answered 503 + Retry-After${r.maintenance ? ` over ${(r.maintenance.ms / 1000).toFixed(2)} s` : ''};`,
    `${r.resentAfterIdleClose} resent after a keep-alive close;`,
    `longest gap without a 2xx: ${(r.longestGapMs / 1000).toFixed(2)} s`,
  ].join(' ');
}

if (require.main === module) {
  const arg = (name: string, dflt?: string) =>
    process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt;
  const load = startLoad({
    url: arg('url')!,
    maxSeconds: Number(arg('seconds', '30')),
    rate: Number(arg('rate', '200')),
  });
  const stop = () =>
    load.stop().then((r) => (console.log(describeLoad(r)), console.log(JSON.stringify(r)), process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  setTimeout(stop, Number(arg('seconds', '30')) * 1000);
}
