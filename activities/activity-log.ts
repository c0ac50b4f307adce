/**
 * Logging that works in and out of an activity: inside, the SDK's activity logger (which the
 * Runtime forwards to pino with the workflow and activity ids); outside (CLI, scripts, unit
 * tests), a plain pino logger.
 */
import { Context } from '@temporalio/activity';
import { createLogger } from '../infra/logger';

let fallback: ReturnType<typeof createLogger> | undefined;

function inActivity(): boolean {
  try {
    Context.current();
    return true;
  } catch {
    return false;
  }
}

type Meta = Record<string, unknown>;
const emit = (level: 'info' | 'warn' | 'error', message: string, meta?: Meta) => {
  if (inActivity()) return Context.current().log[level](message, meta);
  fallback ??= createLogger('cutover');
  fallback[level](meta ?? {}, message);
};

export const log = {
  info: (message: string, meta?: Meta) => emit('info', message, meta),
  warn: (message: string, meta?: Meta) => emit('warn', message, meta),
  error: (message: string, meta?: Meta) => emit('error', message, meta),
};
