/**
 * The `command` provider: a team's own validation script as a check. argv through execFile in
 * its own process group (never a shell: a `;` in an argument is just a character), killed with
 * its group on timeout or cancellation, heartbeating while it runs, with the worker's secrets
 * scrubbed from its env except the names the plan passes on purpose (`passEnv`). The value is
 * the JSON it writes (reportFile, or stdout), else {exitCode}; `format: seed-report` validates
 * that JSON as the seed's production_validation_report.json and lists its own checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../../../domain/duration';
import type { CommandProviderSpec } from '../../../domain/check-schema';
import { runCommand, type CommandResult } from '../../services/service-driver';
import { CheckConfigError, fillTemplate, secretFromEnv, type Provider } from './provider';
import { parseSeedReport, type SeedCheckLine } from './seed-report';

const TAIL = 2_000;
const tail = (text: string) => (text.length > TAIL ? `…${text.slice(-TAIL)}` : text);
/** What a person reads first of a failed script: its last lines, bounded (the whole tail stays in the fields). */
const SAID_LINES = 3;
const SAID_CHARS = 300;

/**
 * The reason a script printed as it failed, e.g. `printed "totalAmount 233550.0 != sum of regions 259500.0"`:
 * the last non-empty lines of stderr, and of stdout when it said something too.
 */
function printedReason(stdout: string, stderr: string): string {
  const last = (text: string) => {
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-SAID_LINES)
      .join(' / ');
    return lines.length > SAID_CHARS ? `…${lines.slice(-SAID_CHARS)}` : lines;
  };
  const said = [
    ['stderr', last(stderr)],
    ['stdout', last(stdout)],
  ].filter(([, text]) => text);
  if (!said.length) return 'printed nothing';
  return said.map(([where, text]) => `${where}: ${JSON.stringify(text)}`).join('; ');
}
const mtimeOf = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;

/** Runs argv; a program that cannot be started is the plan's mistake, said as such. */
async function run(
  argv: string[],
  cwd: string,
  timeoutMs: number,
  env: Record<string, string>,
): Promise<CommandResult> {
  try {
    return await runCommand(argv, { cwd, timeoutMs, env });
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (/^cannot run /.test(message)) {
      throw new CheckConfigError(
        `command.argv[0] "${argv[0]}" cannot be run (` +
          `${message.replace(/^.*: /, '')}): give an installed program or ` +
          `a path relative to cwd ${cwd}`,
      );
    }
    throw err;
  }
}

/** The JSON the command produced, or why there is none (undefined when the plan asked for none). */
function readJson(
  spec: CommandProviderSpec,
  cwd: string,
  result: CommandResult,
  reportMtimeBefore: number | undefined,
): { json?: unknown; problem?: string; source?: string } {
  if (spec.reportFile !== undefined) {
    const file = path.resolve(cwd, spec.reportFile);
    const mtime = mtimeOf(file);
    if (mtime === undefined) return { problem: `command.reportFile ${file} was not written`, source: file };
    // A report left by an earlier run must not pass for this one's.
    if (mtime === reportMtimeBefore)
      return {
        problem: `command.reportFile ${file} was not rewritten by this run (it ` + `is an earlier run's)`,
        source: file,
      };
    try {
      return { json: JSON.parse(fs.readFileSync(file, 'utf8')), source: file };
    } catch (err) {
      return {
        problem: `command.reportFile ${file} is not valid JSON: ${(err as Error).message.replace(/\s+/g, ' ')}`,
        source: file,
      };
    }
  }
  if (spec.stdoutJson) {
    try {
      return { json: JSON.parse(result.stdout), source: 'stdout' };
    } catch {
      return {
        problem: `stdout is not JSON (stdoutJson: true); it starts ${JSON.stringify(result.stdout.slice(0, 80))}`,
        source: 'stdout',
      };
    }
  }
  return {};
}

/** A report's item that did not pass keeps its own words: "data_integrity FAIL: 3 rows lost". */
const failedItem = (c: SeedCheckLine) =>
  c.status === 'PASS' || !c.message ? '' : `: ${c.message.length > 200 ? `${c.message.slice(0, 200)}…` : c.message}`;

export const commandProvider: Provider<CommandProviderSpec> = async (given, ctx) => {
  // {{ service }}, {{ version }}, {{ baseUrl }} in an argument or the report's name: one script checks either target.
  // Still argv, never a shell.
  const spec = {
    ...given,
    argv: given.argv.map((a) => fillTemplate(a, ctx.vars)),
    reportFile: given.reportFile && fillTemplate(given.reportFile, ctx.vars),
  };
  const cwd = path.resolve(ctx.loaded.workdir, spec.cwd ?? '.');
  if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory())
    throw new CheckConfigError(
      `command.cwd ${cwd} is not a folder: give one relative to the ` + `plan's workdir ${ctx.loaded.workdir}`,
    );
  const env = Object.fromEntries(spec.passEnv.map((name) => [name, secretFromEnv(ctx.env, name, 'command.passEnv')]));
  const timeoutMs = parseDuration(spec.timeout);
  const reportMtimeBefore = spec.reportFile === undefined ? undefined : mtimeOf(path.resolve(cwd, spec.reportFile));
  // A script given a report path expects its folder to be there (the seed's wrote next to itself).
  if (spec.reportFile !== undefined)
    fs.mkdirSync(path.dirname(path.resolve(cwd, spec.reportFile)), { recursive: true });

  const started = performance.now();
  const argv = spec.argv;
  const result = await run(argv, cwd, timeoutMs, env);
  const durationMs = Math.round(performance.now() - started);
  const shown = argv.join(' ');
  if (result.timedOut)
    return {
      ok: false,
      inconclusive:
        `${shown} timed out after ${spec.timeout} (killed with its ` +
        `process group); stderr: ${tail(result.stderr).slice(-300) || '(empty)'}`,
    };

  const exitCode = result.code ?? -1;
  const exitOk = spec.okExitCodes.includes(exitCode);
  const fields: Record<string, unknown> = {
    exitCode,
    exitOk,
    stdoutTail: tail(result.stdout),
    stderrTail: tail(result.stderr),
    durationMs,
  };
  const how = result.code === null ? 'was killed by a signal' : `exited ${exitCode}`;
  // A failed script's own words travel with its verdict (status, notification, UI, report), not only in history.
  const said = exitOk ? '' : `; ${printedReason(result.stdout, result.stderr)}`;
  const produced = readJson(spec, cwd, result, reportMtimeBefore);

  if (produced.problem) {
    // A script that failed and wrote nothing usable is a failed check (exitOk false), not a plan mistake.
    if (!exitOk)
      return {
        ok: true,
        value: { exitCode },
        fields: { ...fields, reportProblem: produced.problem },
        summary: `${shown} ${how}; ${produced.problem}${said}`,
      };
    const fix =
      produced.source === 'stdout' ? 'check what the command prints' : 'check the path and what the command writes';
    throw new CheckConfigError(`${produced.problem} although ${shown} ${how}: ${fix}`);
  }
  if (produced.json === undefined)
    return { ok: true, value: { exitCode }, fields, summary: `${shown} ${how} in ${durationMs} ms${said}` };
  if (spec.format === 'seed-report') {
    const { report, checks } = parseSeedReport(produced.json, produced.source!);
    const listed = checks.map((c) => `${c.name} ${c.status}${failedItem(c)}`).join(', ');
    return {
      ok: true,
      value: report,
      fields: { ...fields, reportStatus: report.status, checks },
      summary: `${shown} ${how}: ${report.status} (${listed})`,
    };
  }
  return {
    ok: true,
    value: produced.json,
    fields,
    summary: `${shown} ${how} in ${durationMs} ms; JSON from ${produced.source}`,
  };
};
