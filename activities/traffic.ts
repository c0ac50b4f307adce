/**
 * The traffic switch: an atomically replaced pointer file holding the active upstream, the
 * shape a router reload (nginx include, HAProxy map, a symlink) consumes. Optional in a plan.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/plan-schema';
import { FailureType } from './failure-types';
import { insideWorkdir } from './plan-paths';

export interface TrafficPointer {
  active: ServiceRole;
  name: string;
  upstream: string;
  switchedAt: string;
}

const pointerFile = (loaded: LoadedPlan) => insideWorkdir(loaded, loaded.plan.traffic!.pointerFile, 'traffic.pointerFile');

export async function switchTraffic(loaded: LoadedPlan, role: ServiceRole): Promise<TrafficPointer | null> {
  if (!loaded.plan.traffic) return null;
  const file = pointerFile(loaded);
  const spec = loaded.plan.services[role];
  const current = await readTraffic(loaded);
  if (current?.active === role && current.upstream === spec.baseUrl) return current;
  const pointer: TrafficPointer = { active: role, name: spec.name, upstream: spec.baseUrl, switchedAt: new Date().toISOString() };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(pointer, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
  return pointer;
}

const isPointer = (v: unknown): v is TrafficPointer =>
  !!v && typeof v === 'object' && ((v as TrafficPointer).active === 'v1' || (v as TrafficPointer).active === 'v2') && typeof (v as TrafficPointer).upstream === 'string';

/**
 * The pointer as last written, or null when there is none yet (no switch so far). A file that
 * is there but unreadable or not a pointer is an error: which upstream the router follows is
 * then unknown, and silently overwriting it could hide a hand edit or a half-written file.
 */
export async function readTraffic(loaded: LoadedPlan): Promise<TrafficPointer | null> {
  if (!loaded.plan.traffic) return null;
  const file = pointerFile(loaded);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ApplicationFailure.nonRetryable(`traffic.pointerFile ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions`, FailureType.TrafficPointerCorrupt);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isPointer(parsed)) {
    throw ApplicationFailure.nonRetryable(
      `traffic.pointerFile ${file} is corrupt (not a {"active": "v1"|"v2", "upstream": ...} pointer): check which upstream the router serves, then fix or delete the file and retry`,
      FailureType.TrafficPointerCorrupt,
    );
  }
  return parsed;
}
