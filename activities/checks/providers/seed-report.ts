/**
 * The seed's production_validation_report.json, as its runbook reads it: `.status` PASS|WARN|FAIL,
 * `.checks` with each `.status`, `.metrics`, `.message`. `.checks` may be an object keyed by check
 * name (the seed's own shape: `jq '.checks | keys'`) or an array of checks with a `name`.
 * Extra fields are kept: teams add their own.
 */
import { z } from 'zod';
import { CheckConfigError } from './provider';

const status = z.enum(['PASS', 'WARN', 'FAIL']);
const seedCheck = z.looseObject({
  status,
  message: z.string().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export const seedReportSchema = z.looseObject({
  status,
  checks: z.union([
    z.record(z.string().min(1), seedCheck).refine((c) => Object.keys(c).length > 0, { error: 'has no checks' }),
    z.array(seedCheck.extend({ name: z.string().min(1) })).min(1),
  ]),
  message: z.string().optional(),
  timestamp: z.string().optional(),
});
export type SeedReport = z.output<typeof seedReportSchema>;

export interface SeedCheckLine {
  name: string;
  status: 'PASS' | 'WARN' | 'FAIL';
  message: string;
}

/** "checks.audit_trail.status: expected PASS, WARN or FAIL (got "ok")" — the first few problems. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const at = issue.path.length ? issue.path.map(String).join('.') : '(the whole file)';
      return `${at}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates a parsed report; `source` names the file (or stdout) in the error. */
export function parseSeedReport(raw: unknown, source: string): { report: SeedReport; checks: SeedCheckLine[] } {
  const parsed = seedReportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CheckConfigError(
      `${source} is not a seed-style validation report (` +
        `${describeIssues(parsed.error)}): it needs .status ` +
        `PASS|WARN|FAIL and .checks, each with .status — or set format: plain`,
    );
  }
  const report = parsed.data;
  const entries = Array.isArray(report.checks)
    ? report.checks.map((c) => [c.name, c] as const)
    : Object.entries(report.checks);
  const checks = entries.map(([name, c]) => ({ name, status: c.status, message: c.message ?? '' }));
  return { report, checks };
}
