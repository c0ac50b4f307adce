/**
 * Every patch that changes what running workflows replay, in one list (as the SDK keeps its own
 * flags in packages/workflow/src/flags.ts). Since 1.0 an upgrade does not need a patch: workers
 * join a worker deployment, and a cutover or rollback stays pinned to the build that started it
 * (worker/deployment.ts). A patch is for the rare fix that must reach code already running on an
 * old build (a bug in a 24-hour run nobody may restart), shipped by moving those runs to the build
 * that carries the fix (docs/operations/upgrading-workers.md).
 *
 * To add one: an entry below (id, why, since, until), then `if (patchedFix('id')) { new } else
 * { old }` in the workflow. Calling `patched()` directly is refused by lint (eslint.config.mjs),
 * and `patchedFix` accepts only ids listed here, so this file is the whole story.
 * To retire one: once no run that started before `since` can still be open (its `until`), switch
 * the call to `deprecatedFix('id')` for one release (runs that passed the patch still replay),
 * then delete the call, the old branch and the entry.
 */
import { deprecatePatch, patched } from '@temporalio/workflow';

export interface PatchEntry {
  /** the bug, and what running workflows do differently with the fix */
  why: string;
  /** the release that brought the fix */
  since: string;
  /** when it can go: e.g. "1.2, when no monitoring started before 1.1 is open (24 h after its rollout)" */
  until: string;
}

/** Today none: 1.0 is the baseline, and every earlier branch was retired with it. */
export const PATCHES = {} as const satisfies Record<string, PatchEntry>;

export type PatchId = keyof typeof PATCHES;

/** `patched(id)` for a registered id only. */
export function patchedFix(id: PatchId): boolean {
  return patched(id);
}

/** `deprecatePatch(id)` for a registered id only: the step between a patch and its removal. */
export function deprecatedFix(id: PatchId): void {
  deprecatePatch(id);
}
