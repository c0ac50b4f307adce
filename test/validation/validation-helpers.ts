/** Shared by the validation tests: a demo fixture with V2 (and optionally V1) running, and faults by admin. */
import { createDemoFixture, type DemoFixture, type FixtureOptions } from '../helpers/demo-fixture';
import { startService } from '../../activities/service-control';

const started: DemoFixture[] = [];

/** A fresh dataset and service per test: faults like errorRate and auditGap leave traces that outlive a DELETE. */
export async function runningDemo(opts: FixtureOptions & { v1?: boolean } = {}): Promise<DemoFixture> {
  const fixture = await createDemoFixture(opts);
  started.push(fixture);
  if (opts.v1) await startService(fixture.loaded(), 'v1');
  await startService(fixture.loaded(), 'v2');
  return fixture;
}

/** For afterEach: kills every service the test started and removes its folders. */
export async function cleanupDemos(): Promise<void> {
  for (const fixture of started.splice(0)) await fixture.cleanup();
}

export async function setFaults(baseUrl: string, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${baseUrl}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`POST /admin/faults answered ${res.status}: ${await res.text()}`);
}

export async function kpisOf(baseUrl: string): Promise<Record<string, number>> {
  const res = await fetch(`${baseUrl}/kpis`);
  if (!res.ok) throw new Error(`GET /kpis answered ${res.status}`);
  return ((await res.json()) as { kpis: Record<string, number> }).kpis;
}
