/**
 * The worker's metrics about runs (domain/run-metrics.ts) on an address of their own
 * (CUTOVER_RUN_METRICS_ADDRESS), beside the SDK's on CUTOVER_METRICS_ADDRESS: the SDK's exporter
 * takes custom instruments but can never remove a series, and a run's series must go when it ends.
 *
 * Derived from the workflows' own answers through the client (visibility lists the runs, each
 * answers its `status` query), not from activities: the workflow's state is the only complete
 * one. A run's activities spread over several workers and a restarted worker remembers none of
 * them, while every worker polling here reads the same views, so each exports the same values and
 * a restarted one is right again at its first poll.
 */
import http from 'node:http';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Logger } from 'pino';
import { parseDuration } from '../domain/duration';
import { planKey } from '../domain/search-attributes';
import type { CutoverView } from '../domain/cutover-model';
import type { MonitoringView } from '../domain/monitoring-model';
import { RUN_METRICS, cutoverSeries, monitoringSeries, type MetricDef, type Sample } from '../domain/run-metrics';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../infra/prometheus-exposition';
import { readWorkflow } from '../client/read-view';

export class RunMetricsConfigError extends Error {}

export interface RunMetricsConfig {
  host: string;
  port: number;
  /** how often the runs are read */
  pollMs: number;
  /** how long an ended run keeps its final series, so a scrape sees how it ended */
  lingerMs: number;
}

const ADDRESS = /^([^\s:]+|\[[0-9a-fA-F:]+\]):(\d+)$/;

function durationVar(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  const raw = env[name]?.trim() || fallback;
  try {
    return parseDuration(raw);
  } catch {
    throw new RunMetricsConfigError(`${name}="${raw}": expected a duration such as 15s or 1m (default ${fallback})`);
  }
}

/** Unset CUTOVER_RUN_METRICS_ADDRESS: no run metrics (undefined). A bad value stops the worker at start. */
export function runMetricsFromEnv(env: NodeJS.ProcessEnv = process.env): RunMetricsConfig | undefined {
  const address = env.CUTOVER_RUN_METRICS_ADDRESS?.trim();
  if (!address) return undefined;
  const match = ADDRESS.exec(address);
  if (!match || Number(match[2]) > 65535)
    throw new RunMetricsConfigError(
      `CUTOVER_RUN_METRICS_ADDRESS="${address}": expected HOST:PORT, e.g. 0.0.0.0:9465 (unset it for none)`,
    );
  return {
    host: match[1].replace(/^\[|\]$/g, ''),
    port: Number(match[2]),
    pollMs: durationVar(env, 'CUTOVER_RUN_METRICS_POLL', '15s'),
    lingerMs: durationVar(env, 'CUTOVER_RUN_METRICS_LINGER', '1m'),
  };
}

const SELF: MetricDef[] = [
  {
    name: 'cutover_metrics_poll_timestamp_seconds',
    type: 'gauge',
    help: 'when the runs were last read (Unix time)',
    labels: [],
  },
  {
    name: 'cutover_metrics_read_errors_total',
    type: 'counter',
    help: 'listings and runs that could not be read (their last series are kept)',
    labels: [],
  },
];
const DEFS: MetricDef[] = [...Object.values(RUN_METRICS), ...SELF];
const TYPES = ['cutoverWorkflow', 'monitoringWorkflow'];
const PARALLEL = 8;

export class RunMetrics {
  private byRun = new Map<string, Sample[]>();
  private polledAt?: number;
  private readErrors = 0;

  constructor(
    private readonly client: Client,
    private readonly config: RunMetricsConfig,
    private readonly logger: Logger,
  ) {}

  /** Running runs, and those that ended within the linger time. */
  async poll(now = Date.now()): Promise<void> {
    const since = new Date(now - this.config.lingerMs).toISOString();
    const query =
      `WorkflowType IN (${TYPES.map((t) => `'${t}'`).join(', ')}) AND ` +
      `(ExecutionStatus = 'Running' OR CloseTime > '${since}')`;
    const runs: WorkflowExecutionInfo[] = [];
    try {
      for await (const info of this.client.workflow.list({ query })) runs.push(info);
    } catch (err) {
      this.readErrors++;
      this.logger.warn({ err }, 'run metrics: cannot list the runs; the last series stay');
      return;
    }
    const next = new Map<string, Sample[]>();
    for (let i = 0; i < runs.length; i += PARALLEL) {
      await Promise.all(
        runs.slice(i, i + PARALLEL).map(async (info) => {
          const samples = await this.read(info).catch((err: unknown) => {
            this.readErrors++;
            this.logger.warn(
              { err, workflowId: info.workflowId },
              'run metrics: cannot read a run; its last series stay',
            );
            return this.byRun.get(info.workflowId);
          });
          if (samples) next.set(info.workflowId, samples);
        }),
      );
    }
    this.byRun = next;
    this.polledAt = now;
  }

  private async read(info: WorkflowExecutionInfo): Promise<Sample[] | undefined> {
    const read = await readWorkflow<CutoverView | MonitoringView>(this.client, info.workflowId);
    // a run terminated or cancelled left no view: it has no series
    if (!read.view) return undefined;
    const plan = info.typedSearchAttributes.get(planKey);
    if (info.type === 'cutoverWorkflow') {
      const view = read.view as CutoverView;
      return cutoverSeries(view, plan ?? view.plan);
    }
    return monitoringSeries(read.view as MonitoringView, plan ?? '(unknown)');
  }

  exposition(): string {
    const self: Sample[] = [{ name: SELF[1].name, labels: {}, value: this.readErrors }];
    if (this.polledAt !== undefined) self.push({ name: SELF[0].name, labels: {}, value: this.polledAt / 1000 });
    return renderExposition(DEFS, [...[...this.byRun.values()].flat(), ...self]);
  }
}

/** Polls until stopped and serves GET /metrics; resolves once listening. */
export async function serveRunMetrics(
  client: Client,
  config: RunMetricsConfig,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const metrics = new RunMetrics(client, config, logger);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    await metrics.poll();
    if (!stopped) timer = setTimeout(() => void loop(), config.pollMs);
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(metrics.exposition());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new RunMetricsConfigError(
          `CUTOVER_RUN_METRICS_ADDRESS: cannot listen on ${config.host}:${config.port}: ${err.message}`,
        ),
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  void loop();
  logger.info({ address: `${config.host}:${config.port}`, pollMs: config.pollMs }, 'run metrics on /metrics');
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
