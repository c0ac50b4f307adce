/** What each provider can tell about its own block before anything runs (PromQL, JMESPath syntax). */
import type { ExtraLint } from '../check-lint';
import { promqlProblems } from '../../../domain/promql-lint';
import { jmespathProblem } from './jmespath';

export const CHECK_LINTS: ExtraLint[] = [
  (check, at) => {
    const problem = check.http?.extract ? jmespathProblem(check.http.extract) : undefined;
    return problem ? [{ path: `${at}.http.extract`, message: problem }] : [];
  },
  (check, at) =>
    check.prometheus
      ? promqlProblems(check.prometheus.query).map((message) => ({ path: `${at}.prometheus.query`, message }))
      : [],
];
