/**
 * A union that fails reports one issue for all its options ("give a list of checks, or
 * "default""), which hides what is wrong inside the value a user did write: a list of checks
 * whose item has `argv: "sh -c …"`. When exactly one option got past the value's own type (the
 * value is a list, and only one option is a list), its issues are the plan's problems, each at
 * its full path; else the union's own message says which kinds of value it takes.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Failed at the value itself for being the wrong kind (type, literal or a union none of whose options fit). */
function wrongKind(issues: readonly Issue[]): boolean {
  return issues.some(
    (issue) =>
      issue.path.length === 0 &&
      (issue.code === 'invalid_type' ||
        issue.code === 'invalid_value' ||
        (issue.code === 'invalid_union' && fittingOption(issue) === undefined)),
  );
}

function fittingOption(issue: Issue & { code: 'invalid_union' }): readonly Issue[] | undefined {
  const fitting = issue.errors.filter((issues) => !wrongKind(issues));
  return fitting.length === 1 ? fitting[0] : undefined;
}

/** The issues with every union replaced by those of the one option its value was written for, if any. */
export function unionIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const inner = fittingOption(issue);
    if (!inner) return [issue];
    return unionIssues(inner.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue));
  });
}
