/** writeMonitoringReport writes the JSON, the Markdown and three SVG charts beside them, linked. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeMonitoringReport } from '../../activities/reports/monitoring-report';
import { parsePlanOrThrow } from '../../domain/plan-check';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { completedView } from './view-fixture';

let workdir: string;
beforeEach(() => (workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-report-'))));
afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

test('writes <base>.json, <base>.md and <base>-latency/-error-rate/-memory.svg into the reports dir', async () => {
  const fixture = fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8');
  const plan = parsePlanOrThrow(
    { ...(await import('yaml')).parse(fixture), reports: { dir: 'out/reports' } },
    'valid-plan.yaml',
  );
  const loaded: LoadedPlan = { plan, workdir, source: 'valid-plan.yaml' };
  const result = await writeMonitoringReport(loaded, completedView());

  const base = path.join(workdir, 'out/reports/cutover-demo-20251227-monitoring');
  expect(result).toEqual({
    json: `${base}.json`,
    markdown: `${base}.md`,
    charts: [`${base}-latency.svg`, `${base}-error-rate.svg`, `${base}-memory.svg`],
  });
  expect(fs.readdirSync(path.dirname(base)).sort()).toEqual(
    ['json', 'md', 'latency.svg', 'error-rate.svg', 'memory.svg']
      .map((x) => `cutover-demo-20251227-monitoring` + `${x.endsWith('svg') ? '-' : '.'}${x}`)
      .sort(),
  );

  const json = JSON.parse(fs.readFileSync(result.json, 'utf8'));
  expect(json).toMatchObject({
    plan: plan.name,
    status: 'COMPLETED',
    uptimePct: 100,
    checkpoints: 6,
    verdict: { ready: true },
  });
  const md = fs.readFileSync(result.markdown, 'utf8');
  for (const [title, file] of [
    ['Latency', 'latency'],
    ['Error rate', 'error-rate'],
    ['Memory', 'memory'],
  ])
    expect(md).toContain(`![${title}](cutover-demo-20251227-monitoring-${file}.svg)`);
  for (const file of result.charts) {
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('Hour 24 final sign-off: GO');
  }
  // The plan's 0.1% error-rate warning is always in view; the 100 ms latency target only near the data.
  expect(fs.readFileSync(result.charts[1], 'utf8')).toContain('warn &gt; 0.1%');
  expect(fs.readFileSync(result.charts[0], 'utf8')).not.toContain('target &lt; 100 ms');
});
