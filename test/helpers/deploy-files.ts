/** Readers for the deployment files a user copies: a Dockerfile, systemd units, an environment file. */

export interface Instruction {
  op: string;
  args: string;
}

/** A Dockerfile's instructions by stage (each FROM starts one), comments dropped, `\` continuations joined. */
export function dockerStages(text: string): Instruction[][] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    const more = line.endsWith('\\');
    pending += (pending ? ' ' : '') + (more ? line.slice(0, -1).trim() : line);
    if (!more) {
      logical.push(pending);
      pending = '';
    }
  }
  if (pending) logical.push(pending);
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { op: op.toUpperCase(), args };
    if (instruction.op === 'FROM') stages.push([]);
    if (!stages.length) throw new Error(`instruction before the first FROM: ${line}`);
    stages[stages.length - 1].push(instruction);
  }
  return stages;
}

/** `ENV A=1 B=2` (or the legacy `ENV A 1`) as pairs. */
export function envPairs(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [name, ...value] = args.split(/\s+/);
    return { [name]: value.join(' ') };
  }
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g))
    out[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  return out;
}

/** A systemd unit: section → key → every value given (a key may repeat, e.g. EnvironmentFile=). */
export type Unit = Record<string, Record<string, string[]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: string | undefined;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#') || line.startsWith(';'))) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = pending + line;
    pending = '';
    const header = /^\[([^\]]+)\]$/.exec(full);
    if (header) {
      section = header[1];
      unit[section] ??= {};
      continue;
    }
    const kv = /^([A-Za-z0-9]+)\s*=\s*(.*)$/.exec(full);
    if (!kv || !section) throw new Error(`not a unit file line: ${raw}`);
    (unit[section][kv[1]] ??= []).push(kv[2]);
  }
  return unit;
}

/** systemd time spans as the units write them: "45s", "5min", "1m 30s", or a bare number of seconds. */
export function systemdSeconds(span: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600 };
  if (/^\d+$/.test(span.trim())) return Number(span);
  let total = 0;
  for (const part of span.trim().split(/\s+/)) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|sec|m|min|h|hr)$/.exec(part);
    if (!m) throw new Error(`"${span}" is not a time span these units use`);
    total += Number(m[1]) * units[m[2]];
  }
  return total;
}

/** An EnvironmentFile: NAME=value lines, and the commented-out `#NAME=value` ones a user may switch on. */
export function parseEnvFile(text: string): { active: Record<string, string>; commented: Record<string, string> } {
  const active: Record<string, string> = {};
  const commented: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const on = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (on) active[on[1]] = on[2];
    const off = /^#\s?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (off) commented[off[1]] = off[2];
  }
  return { active, commented };
}
