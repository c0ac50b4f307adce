/**
 * A real Prometheus for a test file: Debian's `prometheus` (scripts/install-tools.sh installs
 * it; CUTOVER_PROMETHEUS overrides the path), a generated config scraping the given targets
 * every second, its TSDB in a temp folder, a free loopback port. One per test file (beforeAll).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './demo-fixture';
import { waitUntilAnswers } from './wait-until-answers';

export interface ScrapeTarget {
  /** the job label; the demo's plan names its services loans-v1 / loans-v2 */
  job: string;
  /** host:port */
  address: string;
  metricsPath?: string;
  /** labels added to every series of this target */
  labels?: Record<string, string>;
}

export interface TestPrometheus {
  url: string;
  /** an instant query's result vector (for waiting on data, not for asserting a provider) */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** polls until the query has at least one series */
  waitForData(promql: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function prometheusBinary(): string {
  const bin = process.env.CUTOVER_PROMETHEUS ?? 'prometheus';
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `no Prometheus (${bin}): run scripts/install-tools.sh as root ` +
        `(apt-get install prometheus), or set CUTOVER_PROMETHEUS to its path`,
    );
  }
  return bin;
}

/** The scrape config: one job per target, 1 s interval (tests and the demo want data within seconds). */
export function prometheusConfig(targets: ScrapeTarget[], interval = '1s'): string {
  const jobs = targets.map((t) =>
    [
      `  - job_name: ${JSON.stringify(t.job)}`,
      `    metrics_path: ${JSON.stringify(t.metricsPath ?? '/metrics')}`,
      `    static_configs:`,
      `      - targets: [${JSON.stringify(t.address)}]`,
      ...(t.labels ? [`        labels: ${JSON.stringify(t.labels)}`] : []),
    ].join('\n'),
  );
  return (
    `global:\n  scrape_interval: ${interval}\n  ` +
    `evaluation_interval: ${interval}\nscrape_configs:\n${jobs.join('\n')}\n`
  );
}

export async function startPrometheus(
  targets: ScrapeTarget[],
  opts: { startTimeoutMs?: number } = {},
): Promise<TestPrometheus> {
  const bin = prometheusBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-prom-'));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), prometheusConfig(targets));
  const port = await freePort();
  const child = spawn(
    bin,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.on('error', (err) => (log += `${err.message}\n`)); // cannot be executed: the log says why
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const ready = () =>
    fetch(`${url}/-/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
  await waitUntilAnswers({
    name: 'Prometheus',
    child,
    answers: ready,
    stop,
    log: () => log,
    notReady: `not ready on ${port}`,
    timeoutMs: opts.startTimeoutMs,
    fix: (text) =>
      /address already in use/.test(text) ? `port ${port} is taken: free it, or pick another` : 'what its log says',
  });
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const body = (await res.json()) as {
      data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data?.result ?? [];
  };
  return {
    url,
    query,
    async waitForData(promql, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      while ((await query(promql)).length === 0) {
        if (Date.now() > end)
          throw new Error(`Prometheus at ${url} has no data for ${promql} after ` + `${timeoutMs} ms:\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop,
  };
}
