/**
 * The cutover's step right after its plan loads: one cutover per plan and per service endpoint at
 * a time, whoever started it (the locks themselves are plan-lock.ts). Patched: cutovers that
 * started before the locks existed replay without them.
 */
import { patched } from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import { acquirePlanLocks } from './plan-lock';

/** undefined when this cutover holds every lock of its plan, else why not (naming the holder). */
export async function takePlanLocks(loaded: LoadedPlan, cutoverId: string): Promise<string | undefined> {
  return patched('plan-lock') ? acquirePlanLocks(loaded, cutoverId) : undefined;
}
