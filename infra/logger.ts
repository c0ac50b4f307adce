/**
 * pino for everything outside workflow code. JSON by default (for log shippers); readable
 * lines when stdout is a terminal or CUTOVER_LOG_PRETTY=1. Anything that may carry a secret is
 * redacted by key, wherever it sits in the object.
 */
import pino, { type Logger } from 'pino';

export const REDACTED_KEYS = [
  'apiKey',
  'api_key',
  'token',
  'password',
  'secret',
  'authorization',
  'webhookUrl',
  'TEMPORAL_API_KEY',
];

export function createLogger(name: string, destination?: pino.DestinationStream, level?: string): Logger {
  const pretty =
    process.env.CUTOVER_LOG_PRETTY === '1' || (process.env.CUTOVER_LOG_PRETTY !== '0' && process.stdout.isTTY);
  const options: pino.LoggerOptions = {
    name,
    level: level ?? process.env.CUTOVER_LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]), censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  if (pretty)
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } },
    });
  return pino(options);
}
