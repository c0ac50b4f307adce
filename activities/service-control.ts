/**
 * Start and stop V1/V2 as the phases need them: each call is idempotent (start of a running
 * service, stop of a stopped one are no-ops) so a retried or replayed activity does no harm.
 */
import { ApplicationFailure } from '@temporalio/common';
import { log } from './activity-log';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/service-schema';
import { parseDuration } from '../domain/duration';
import { driverFor } from './services/driver-factory';
import { probeHealth, waitHealthy } from './services/health';
import { heartbeat } from './heartbeat';
import { FailureType } from './failure-types';

export interface HealthReport {
  role: ServiceRole;
  name: string;
  healthy: boolean;
  status?: number;
  body?: unknown;
  error?: string;
}

export async function serviceHealth(loaded: LoadedPlan, role: ServiceRole): Promise<HealthReport> {
  const spec = loaded.plan.services[role];
  return { role, name: spec.name, ...(await probeHealth(spec)) };
}

export async function startService(loaded: LoadedPlan, role: ServiceRole): Promise<HealthReport> {
  const spec = loaded.plan.services[role];
  const driver = driverFor(spec, { cwd: loaded.workdir });
  log.info(`starting ${role} (${spec.name})`);
  await driver.start();
  let checkedMs = 0;
  await waitHealthy(spec, parseDuration(spec.startTimeout), async (probe, elapsedMs) => {
    heartbeat({ probe });
    // A process we started and that died since will never answer: say so now, not at the
    // start timeout (each retry would wait it out again). Only the process driver knows for
    // sure; other drivers' status may read "stopped" until the service is up.
    if (spec.driver !== 'process' || elapsedMs - checkedMs < 1_000) return;
    checkedMs = elapsedMs;
    if ((await driver.status()) === 'stopped') {
      throw ApplicationFailure.nonRetryable(
        `${spec.name} exited while starting, before it answered ` +
          `${spec.baseUrl}${spec.healthPath}: see its log (` +
          `${spec.name}.log) in the plan's runDir (${spec.runDir})`,
        FailureType.ServiceStartFailed,
      );
    }
  });
  return serviceHealth(loaded, role);
}

/** Graceful stop, force after the plan's grace, then proof: nothing answers the health URL. */
export async function stopService(loaded: LoadedPlan, role: ServiceRole): Promise<{ forced: boolean; name: string }> {
  const spec = loaded.plan.services[role];
  const driver = driverFor(spec, { cwd: loaded.workdir });
  const heartbeating = setInterval(() => heartbeat({ stopping: spec.name }), 1_000);
  try {
    const { forced } = await driver.stop(parseDuration(spec.stopGrace));
    if (forced) log.warn(`${spec.name} ignored SIGTERM for ${spec.stopGrace}: force-stopped`);
    const state = await driver.status();
    const probe = await probeHealth(spec);
    if (state === 'running' || probe.healthy) {
      throw ApplicationFailure.nonRetryable(
        `${spec.name} still ` +
          `${state === 'running' ? 'runs' : 'answers on ' + spec.baseUrl + spec.healthPath} ` +
          `after stop: it is not under this driver's control (stale pid ` +
          `file, or another instance on the port)`,
        FailureType.ServiceStillRunning,
      );
    }
    return { forced, name: spec.name };
  } finally {
    clearInterval(heartbeating);
  }
}
