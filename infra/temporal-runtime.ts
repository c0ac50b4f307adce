/**
 * Installs the Temporal Runtime once per process, forwarding the SDK's own logs (worker,
 * workflow `log`, activity `log`) into pino. Must run before any Worker or NativeConnection.
 */
import { DefaultLogger, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

export function installRuntime(logger: Logger, options: { metricsBindAddress?: string } = {}): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    // pino cannot serialise the SDK's BigInt nanosecond timestamp: it is dropped on purpose.
    logger: new DefaultLogger('INFO', ({ level, message, meta }) =>
      logger[LEVELS[level]](meta as LogMetadata, message),
    ),
    telemetryOptions: options.metricsBindAddress
      ? { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } }
      : undefined,
  });
}
