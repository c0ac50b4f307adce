/** Picks the driver for a service spec; the plan schema has already validated the spec. */
import type { ServiceSpec } from '../../domain/service-schema';
import { DockerDriver } from './docker-driver';
import { ExecDriver } from './exec-driver';
import { ProcessDriver } from './process-driver';
import type { ServiceDriver } from './service-driver';
import { SystemdDriver } from './systemd-driver';

export interface DriverOptions {
  /** directory relative paths in the spec are resolved against (the plan's directory); default process.cwd() */
  cwd?: string;
  /** process driver: how long start() watches for a crash-on-start; default 1000 ms */
  startSettleMs?: number;
}

export function driverFor(spec: ServiceSpec, opts: DriverOptions = {}): ServiceDriver {
  switch (spec.driver) {
    case 'process':
      return new ProcessDriver(spec, opts);
    case 'systemd':
      return new SystemdDriver(spec);
    case 'docker':
      return new DockerDriver(spec);
    case 'exec':
      return new ExecDriver(spec, opts.cwd);
  }
}
