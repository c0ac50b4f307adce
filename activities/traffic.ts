/**
 * The traffic switch: an atomically replaced pointer file holding the active upstream, the
 * shape a router reload (nginx include, HAProxy map, a symlink) consumes. Optional in a plan.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/plan-schema';

export interface TrafficPointer {
  active: ServiceRole;
  name: string;
  upstream: string;
  switchedAt: string;
}

export async function switchTraffic(loaded: LoadedPlan, role: ServiceRole): Promise<TrafficPointer | null> {
  if (!loaded.plan.traffic) return null;
  const file = path.resolve(loaded.workdir, loaded.plan.traffic.pointerFile);
  const spec = loaded.plan.services[role];
  const current = await readTraffic(loaded);
  if (current?.active === role && current.upstream === spec.baseUrl) return current;
  const pointer: TrafficPointer = { active: role, name: spec.name, upstream: spec.baseUrl, switchedAt: new Date().toISOString() };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(pointer, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
  return pointer;
}

export async function readTraffic(loaded: LoadedPlan): Promise<TrafficPointer | null> {
  if (!loaded.plan.traffic) return null;
  try {
    return JSON.parse(await readFile(path.resolve(loaded.workdir, loaded.plan.traffic.pointerFile), 'utf8')) as TrafficPointer;
  } catch {
    return null;
  }
}
