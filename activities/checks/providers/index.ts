/** Every provider the worker offers, by the plan's block name. */
import type { ProviderRegistry } from '../run-check';
import { httpProvider } from './http';
import { commandProvider } from './command';

export const PROVIDERS: ProviderRegistry = {
  http: httpProvider as ProviderRegistry['http'],
  command: commandProvider as ProviderRegistry['command'],
};
