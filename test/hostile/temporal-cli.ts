/**
 * The official `temporal` CLI (what an operator or the UI's forms send), run as a child process
 * against the test's dev server: signals, updates, starts and queries with exactly the raw
 * input given — or none at all — and the history read back as JSON.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/demo-fixture';

const TEMPORAL = process.env.CUTOVER_TEMPORAL_CLI ?? path.join(REPO, '.tools/bin/temporal');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-hostile-'));
let files = 0;

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** A payload exactly as given: its metadata (e.g. an encoding nobody knows) and its bytes. */
export interface RawPayload {
  meta: Record<string, string>;
  data: Buffer;
}

/** A hostile input: `undefined` = no --input at all (the UI's empty form), the raw JSON text, or a raw payload. */
export type RawInput = string | RawPayload | undefined;

/** Runs a program to its end, asynchronously (an in-process worker must keep running meanwhile). */
function run(program: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // decoded as a stream: a character split across two chunks stays whole
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    // 'close', not 'exit': the output may still be in the pipes when the process has exited
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

export function temporal(address: string, args: string[]): Promise<CliResult> {
  return run(TEMPORAL, [...args, '--address', address, '--namespace', 'default']);
}

/** --input-file rather than --input: a 100 kB argument is close to the kernel's per-argument limit. */
function inputArgs(raw: RawInput): string[] {
  if (raw === undefined) return [];
  if (typeof raw === 'object') {
    const meta = Object.entries(raw.meta).flatMap(([k, v]) => ['--input-meta', `${k}=${v}`]);
    // The CLI checks that a json/* input is JSON (it cannot send bytes that are not); others go as raw bytes.
    if (raw.meta.encoding?.startsWith('json/')) return [...meta, '--input', raw.data.toString('utf8')];
    return [...meta, '--input-base64', '--input', raw.data.toString('base64')];
  }
  const file = path.join(scratch, `input-${++files}.json`);
  fs.writeFileSync(file, raw);
  return ['--input-file', file];
}

export const cli = (address: string) => ({
  signal: (id: string, name: string, raw: RawInput) =>
    temporal(address, ['workflow', 'signal', '--workflow-id', id, '--name', name, ...inputArgs(raw)]),
  update: (id: string, name: string, raw: RawInput) =>
    temporal(address, ['workflow', 'update', 'execute', '--workflow-id', id, '--name', name, ...inputArgs(raw)]),
  start: (id: string, type: string, raw: RawInput) =>
    temporal(address, [
      'workflow',
      'start',
      '--workflow-id',
      id,
      '--type',
      type,
      '--task-queue',
      'cutover',
      ...inputArgs(raw),
    ]),
  query: (id: string, type: string, raw: RawInput) =>
    temporal(address, ['workflow', 'query', '--workflow-id', id, '--type', type, ...inputArgs(raw)]),
  /** The status view through the CLI's query, parsed; throws with the CLI's words when it fails. */
  async status<T = any>(id: string): Promise<T> {
    const r = await temporal(address, [
      'workflow',
      'query',
      '--workflow-id',
      id,
      '--type',
      'status',
      '--output',
      'json',
    ]);
    if (r.code !== 0) throw new Error(`status query of ${id} failed: ${r.err || r.out}`);
    const parsed = JSON.parse(r.out);
    // The Go CLI re-encodes the answer: an empty list comes back as null.
    return (parsed.queryResult?.[0] ?? parsed) as T;
  },
  /** Event types of the whole history, e.g. EVENT_TYPE_WORKFLOW_TASK_FAILED. */
  async history(id: string): Promise<{ events: { eventType: string }[] }> {
    const r = await temporal(address, ['workflow', 'show', '--workflow-id', id, '--output', 'json']);
    if (r.code !== 0 || !r.out.trim()) throw new Error(`show ${id} failed (exit ${r.code}): ${r.err || '(no output)'}`);
    return JSON.parse(r.out);
  },
});

export async function taskFailures(c: ReturnType<typeof cli>, id: string): Promise<string[]> {
  const { events } = await c.history(id);
  // Guard against reading nothing: a history always starts with its started event.
  if (!/WORKFLOW_EXECUTION_STARTED|WorkflowExecutionStarted/i.test(String(events[0]?.eventType)))
    throw new Error(`unexpected history of ${id}: ${JSON.stringify(events[0])}`);
  return events.map((e) => String(e.eventType)).filter((t) => /WORKFLOW_TASK_FAILED|WorkflowTaskFailed/i.test(t));
}

/** The hostile payloads every message gets: nothing, empty, wrong types, unknown fields, 100 kB. */
export const HUGE = 'x'.repeat(100_000);
export const JUNK: { label: string; raw: RawInput }[] = [
  { label: 'no input', raw: undefined },
  { label: '{}', raw: '{}' },
  { label: 'null', raw: 'null' },
  { label: 'a number', raw: '42' },
  { label: 'an array', raw: '[1, "two"]' },
  { label: 'wrong types', raw: '{"role": 7, "approver": false, "decision": ["GO"], "phase": {"x": 1}}' },
  { label: 'unknown fields', raw: '{"hello": "world", "__proto__": {"polluted": true}}' },
  {
    label: '100 kB strings',
    raw: JSON.stringify({ role: HUGE, approver: HUGE, decision: 'GO', comment: HUGE, phase: HUGE }),
  },
];

/** Our own `cutover` CLI, asynchronously: the test's in-process worker must keep running meanwhile. */
export function cutoverCli(address: string, args: string[]): Promise<CliResult> {
  return run(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'client/main.ts'), ...args], {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
  });
}
