/** `cutover service start|stop|status PLAN v1|v2`: the plan's drivers by hand, without Temporal (setup, drills). */
import type { Command } from 'commander';
import type { ServiceRole } from '../../domain/service-schema';
import { serviceHealth, startService, stopService } from '../../activities/service-control';
import { driverFor } from '../../activities/services/driver-factory';
import { checkPlanFile } from './plan';
import { CliError, EXIT } from '../exit-codes';

function role(value: string): ServiceRole {
  if (value !== 'v1' && value !== 'v2') throw new CliError(`service must be v1 or v2, not "${value}"`, EXIT.BAD_INPUT);
  return value;
}

export function registerService(program: Command) {
  const service = program.command('service').description("start, stop or inspect V1/V2 through the plan's driver");
  service
    .command('start')
    .arguments('<plan> <service>')
    .description('start the service (idempotent) and wait until its health URL answers')
    .action(async (file: string, which: string) => {
      const health = await startService(await checkPlanFile(file), role(which));
      console.log(`${health.name} healthy (${health.status})`);
    });
  service
    .command('stop')
    .arguments('<plan> <service>')
    .description("graceful stop, force after the plan's stopGrace, then verify it no longer answers")
    .action(async (file: string, which: string) => {
      const { forced, name } = await stopService(await checkPlanFile(file), role(which));
      console.log(`${name} stopped${forced ? ' (forced)' : ''}`);
    });
  service
    .command('status')
    .arguments('<plan> <service>')
    .description('driver state and health probe')
    .action(async (file: string, which: string) => {
      const loaded = await checkPlanFile(file);
      const spec = loaded.plan.services[role(which)];
      const state = await driverFor(spec, { cwd: loaded.workdir }).status();
      const health = await serviceHealth(loaded, role(which));
      console.log(
        `${spec.name}: ${state}, ${health.healthy ? 'healthy' : `unhealthy (${health.error ?? health.status})`}`,
      );
      process.exitCode = health.healthy ? EXIT.OK : EXIT.ERROR;
    });
}
