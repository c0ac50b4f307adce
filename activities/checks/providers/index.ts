/** Every provider the worker offers, by the plan's block name. */
import type { ProviderRegistry } from '../run-check';

export const PROVIDERS: ProviderRegistry = {};
