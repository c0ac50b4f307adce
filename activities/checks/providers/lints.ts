/** What each provider can tell about its own block before anything runs (PromQL, JMESPath syntax). */
import type { ExtraLint } from '../check-lint';

export const CHECK_LINTS: ExtraLint[] = [];
