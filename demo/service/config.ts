import { parseArgs } from 'node:util';
import type { PipelineVersion } from './dataset';

/** Command line wins over environment (DEMO_VERSION, DEMO_PORT, DEMO_DATA, DEMO_HOST). */
export interface ServiceConfig {
  version: PipelineVersion;
  port: number;
  host: string;
  dataDir: string;
  drainTimeoutMs: number;
}

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): ServiceConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const version = values.version ?? env.DEMO_VERSION ?? '';
  if (version !== 'v1' && version !== 'v2') throw new Error(`--version must be v1 or v2, got "${version}"`);
  const portRaw = values.port ?? env.DEMO_PORT ?? '8080';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${portRaw}"`);
  const dataDir = values.data ?? env.DEMO_DATA ?? '';
  if (!dataDir) throw new Error('--data DIR (or DEMO_DATA) is required');
  const drainTimeoutMs = Number(env.DEMO_DRAIN_TIMEOUT_MS ?? 10_000);
  return { version, port, host: values.host ?? env.DEMO_HOST ?? '127.0.0.1', dataDir, drainTimeoutMs };
}
