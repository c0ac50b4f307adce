/**
 * The live page with 100 runs listed: `cutover dashboard` (the real CLI) over a dev server holding
 * 100 cutover runs (40 running, 60 ended: terminated), and headless Chromium opening the page.
 * Prints the server's answer time for the list JSON (GET /api/runs, one visibility call) and, per
 * page load in a fresh browser context, the time from navigation start to the first frame that
 * has all 100 rows, with the list request's share of it and the script's render after it.
 * The runs have no worker: the list reads visibility only, so what the runs do does not change it.
 *   npx tsx bench/dashboard.ts [--runs 100] [--requests 30] [--loads 5]
 */
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer } from '../test/helpers/temporal-env';
import { REPO } from '../test/helpers/demo-fixture';
import { planKey, statusKey, phaseKey } from '../domain/search-attributes';

const flag = (name: string, dflt: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : dflt;
const runs = Number(flag('runs', '100'));
const requests = Number(flag('requests', '30'));
const loads = Number(flag('loads', '5'));
const CHROMIUM = process.env.CUTOVER_CHROMIUM ?? '/usr/bin/chromium';
// nobody polls it: the runs stay as started
const NO_WORKER_QUEUE = 'bench-dashboard-no-worker';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** The page's globals, typed by hand (this project compiles without the DOM library); a cast, so it survives serialisation. */
type PageGlobals = {
  document: { querySelectorAll(selector: string): { length: number } };
  performance: { getEntriesByType(type: string): { name: string; startTime: number; responseEnd: number }[] };
};

async function startRuns(env: TestWorkflowEnvironment) {
  const ended = Math.round(runs * 0.6);
  for (let i = 0; i < runs; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, runs - i) }, async (_, j) => {
        const n = i + j;
        const handle = await env.client.workflow.start('cutoverWorkflow', {
          taskQueue: NO_WORKER_QUEUE,
          workflowId: `cutover-bench-plan-${n % 7}-${String(n).padStart(3, '0')}`,
          args: [{ plan: `plans/bench-${n % 7}.yaml`, startedBy: 'bench' }],
          typedSearchAttributes: [
            { key: planKey, value: `bench-plan-${n % 7}` },
            { key: statusKey, value: n < ended ? 'SUCCESS' : 'MONITORING' },
            { key: phaseKey, value: n < ended ? 'complete' : 'monitoring' },
          ],
        });
        if (n < ended) await handle.terminate('bench: an ended run');
      }),
    );
  }
}

function startDashboard(env: TestWorkflowEnvironment): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    path.join(REPO, 'bin/cutover'),
    ['dashboard', '--listen', '127.0.0.1:0', '--limit', String(runs)],
    {
      env: { ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', CUTOVER_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dashboard listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`dashboard exited (${code}):\n${out}`)));
  });
}

async function listed(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/api/runs`)).json()) as { runs: unknown[] };
  return body.runs.length;
}

async function main() {
  console.log(`load average before: ${load()}`);
  const env = await startDevServer(['--log-level', 'error']);
  let dashboard: { url: string; child: ChildProcess } | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    await startRuns(env);
    dashboard = await startDashboard(env);
    const { url } = dashboard;
    // visibility is eventually consistent: measure once every run is listed
    for (let i = 0; (await listed(url)) < runs; i++) {
      if (i > 100) throw new Error(`visibility never listed ${runs} runs`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const answer: number[] = [];
    let bytes = 0;
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/runs`);
      bytes = (await res.text()).length;
      answer.push(performance.now() - t0);
    }
    console.log(
      `GET /api/runs, ${runs} runs (${(bytes / 1024).toFixed(1)} KiB), ${requests} sequential requests: ` +
        `median ${ms(pct(answer, 50))}, p95 ${ms(pct(answer, 95))}, max ${ms(Math.max(...answer))}`,
    );

    const table: number[] = [];
    const list: number[] = [];
    const render: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1200 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      // performance.now() of the first animation frame with every row in the table
      const frame = await page.waitForFunction(
        (n) =>
          (globalThis as unknown as PageGlobals).document.querySelectorAll('#runs tbody tr').length >= n
            ? performance.now()
            : false,
        runs,
        { polling: 'raf', timeout: 60_000 },
      );
      const painted = (await frame.jsonValue()) as number;
      const entry = await page.evaluate(() => {
        const e = (globalThis as unknown as PageGlobals).performance
          .getEntriesByType('resource')
          .find((r) => r.name.endsWith('/api/runs'));
        return e ? { start: e.startTime, end: e.responseEnd } : undefined;
      });
      table.push(painted);
      if (entry) {
        list.push(entry.end - entry.start);
        render.push(painted - entry.end);
      }
      await context.close();
    }
    console.log(
      `Chromium, navigation start → first frame with ${runs} rows, ${loads} loads: ` +
        `median ${ms(pct(table, 50))}, max ${ms(Math.max(...table))}; of it the list request ` +
        `median ${ms(pct(list, 50))}, the script's render after it median ${ms(pct(render, 50))}`,
    );
    console.log(`load average after: ${load()}`);
  } finally {
    await browser.close();
    if (dashboard && dashboard.child.exitCode === null) {
      const exited = new Promise((r) => dashboard!.child.once('exit', r));
      dashboard.child.kill('SIGTERM');
      await exited;
    }
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
