/** A ProviderContext for provider tests: only the plan fields a provider reads, validated by the real schemas. */
import { databaseSchema, prometheusServerSchema } from '../../domain/check-schema';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { Plan } from '../../domain/plan-schema';
import type { ServiceRole, ServiceSpec } from '../../domain/service-schema';
import type { ProviderContext } from '../../activities/checks/providers/provider';

export function providerContext(opts: {
  prometheus?: Record<string, unknown>;
  databases?: Record<string, Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
  role?: ServiceRole;
  service?: string;
  window?: string;
}): ProviderContext {
  const role = opts.role ?? 'v2';
  const plan = {
    prometheus: opts.prometheus && prometheusServerSchema.parse(opts.prometheus),
    databases: Object.fromEntries(Object.entries(opts.databases ?? {}).map(([k, v]) => [k, databaseSchema.parse(v)])),
  } as unknown as Plan;
  const loaded: LoadedPlan = { plan, workdir: process.cwd(), source: 'test' };
  const service = { name: opts.service ?? `loans-${role}`, baseUrl: 'http://127.0.0.1:1' } as unknown as ServiceSpec;
  return {
    loaded,
    target: { role, service },
    vars: { service: service.name, version: role, window: opts.window ?? '5m', baseUrl: service.baseUrl },
    env: opts.env ?? {},
  };
}
