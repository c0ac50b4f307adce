/** Every provider the worker offers, by the plan's block name. */
import type { ProviderRegistry } from '../run-check';
import { httpProvider } from './http';
import { commandProvider } from './command';
import { prometheusProvider } from './prometheus';
import { sqlProvider } from './sql';

export const PROVIDERS: ProviderRegistry = {
  http: httpProvider as ProviderRegistry['http'],
  command: commandProvider as ProviderRegistry['command'],
  prometheus: prometheusProvider as ProviderRegistry['prometheus'],
  sql: sqlProvider as ProviderRegistry['sql'],
};
