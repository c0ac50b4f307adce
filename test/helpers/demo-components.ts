/**
 * The demo's real components for a demo fixture (test/helpers/demo-fixture.ts): a PostgreSQL
 * its V1 and V2 publish their KPI results into, and a Prometheus scraping both (job = the plan's
 * service name), wired into the fixture's plan (`prometheus:`, `databases.warehouse`, each
 * service's env). The sql checks read the URL from the worker's environment: an in-process
 * worker sees process.env (set here); a worker child process needs `env` passed to it.
 */
import type { DemoFixture } from './demo-fixture';
import { startPostgres, type TestPostgres } from './postgres';
import { startPrometheus, type TestPrometheus } from './prometheus';

export const WAREHOUSE_ENV = 'DEMO_WAREHOUSE_URL';

export interface DemoComponents {
  db: TestPostgres;
  prom: TestPrometheus;
  /** what a worker needs in its environment for the plan's sql checks */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function addDemoComponents(fixture: DemoFixture): Promise<DemoComponents> {
  const hostPort = (url: string) => new URL(url).host;
  const [db, prom] = await Promise.all([
    startPostgres(),
    startPrometheus([
      { job: fixture.plan.services.v1.name, address: hostPort(fixture.urls.v1) },
      { job: fixture.plan.services.v2.name, address: hostPort(fixture.urls.v2) },
    ]),
  ]);
  for (const role of ['v1', 'v2'] as const) {
    const svc = fixture.plan.services[role];
    svc.env = { ...(svc.env ?? {}), [WAREHOUSE_ENV]: db.url };
  }
  fixture.plan.prometheus = { address: prom.url };
  fixture.plan.databases = { ...(fixture.plan.databases ?? {}), warehouse: { urlEnv: WAREHOUSE_ENV } };
  const before = process.env[WAREHOUSE_ENV];
  process.env[WAREHOUSE_ENV] = db.url;
  return {
    db,
    prom,
    env: { [WAREHOUSE_ENV]: db.url },
    async stop() {
      if (before === undefined) delete process.env[WAREHOUSE_ENV];
      else process.env[WAREHOUSE_ENV] = before;
      await Promise.all([db.stop(), prom.stop()]);
    },
  };
}
