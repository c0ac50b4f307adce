/**
 * The demo plan's own `checks:` (demo/cutover-plan.yaml) on a demo fixture with its real
 * components (PostgreSQL warehouse, Prometheus): what the demo cutover checks, in a test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO, type DemoFixture } from './demo-fixture';
import { addDemoComponents, type DemoComponents } from './demo-components';

export function demoPlanChecks(): { checks: unknown[]; sentinelPath: string } {
  const plan = parse(fs.readFileSync(path.join(REPO, 'demo/cutover-plan.yaml'), 'utf8'));
  // The script writes its report under the plan's workdir; the fixture's workdir is a temp folder.
  const checks = JSON.parse(
    JSON.stringify(plan.checks)
      .replaceAll('.data/demo/reports/', 'reports/')
      .replaceAll('"demo/validation/', `"${REPO}/demo/validation/`),
  );
  return { checks, sentinelPath: plan.monitoring.sentinelPath };
}

/** Gives the fixture the demo plan's checks and its components; call before any loaded(). */
export async function withDemoPlanChecks(fixture: DemoFixture): Promise<DemoComponents> {
  const { checks, sentinelPath } = demoPlanChecks();
  fixture.plan.checks = checks;
  fixture.plan.monitoring = { ...(fixture.plan.monitoring ?? {}), sentinelPath };
  fs.mkdirSync(path.join(fixture.workdir, 'reports'), { recursive: true });
  return addDemoComponents(fixture);
}
