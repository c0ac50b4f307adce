/**
 * Phase 0's prerequisites where their facts are: the backup paths and free disk on the backup's
 * host, the V2 artifact on V2's host, V1's health from the orchestrator (domain/host-placement.ts).
 * Asked at once; every machine's failures are told together. A plan without hosts makes the one
 * call it always made.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../domain/failure-types';
import type { LoadedPlan } from '../domain/loaded-plan';
import { prerequisiteGroups } from '../domain/host-placement';
import { act } from './activity-proxies';
import { onHostNamed } from './host-routing';
import { failureMessage } from './failure-message';

const SUMMARY = 'Check prerequisites: paths, disk, V2 artifact, V1 health';
const PART_WORDS = { backup: 'backup paths, disk', artifact: 'V2 artifact', v1Health: 'V1 health' } as const;

/** How many prerequisites were met; throws PrerequisiteFailed (or HostUnavailable) naming each host's problem. */
export async function checkPrerequisitesOnHosts(loaded: LoadedPlan): Promise<number> {
  const groups = prerequisiteGroups(loaded.plan);
  if (!groups.some((g) => g.host)) return (await act('quick', SUMMARY).checkPrerequisites(loaded)).length;
  const settled = await Promise.allSettled(
    groups.map(({ host, parts }) =>
      onHostNamed(
        loaded,
        host,
        'quick',
        `Check prerequisites: ${parts.map((p) => PART_WORDS[p]).join(', ')}`,
      ).checkPrerequisites(loaded, parts),
    ),
  );
  const failed = settled.flatMap((r, i) =>
    r.status === 'rejected' ? [{ host: groups[i]!.host, why: failureMessage(r.reason) }] : [],
  );
  if (!failed.length) return settled.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value.length : 0), 0);
  // "… [PrerequisiteFailed]": the type goes once on the whole, each machine's part says where.
  const told = failed.map(({ host, why }) => {
    const text = why.replace(/ \[[A-Za-z]+\]$/, '');
    return host && !text.includes(`host ${host}`) ? `on host ${host}: ${text}` : text;
  });
  throw ApplicationFailure.nonRetryable(
    told.join('; '),
    failed.some((f) => f.why.endsWith(`[${FailureType.PrerequisiteFailed}]`))
      ? FailureType.PrerequisiteFailed
      : FailureType.HostUnavailable,
  );
}
