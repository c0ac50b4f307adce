import type { CutoverView } from '../domain/cutover-model';
import { formatDuration } from '../domain/duration';
import { renderMessageLog } from '../domain/message-log';
import { trafficLine } from '../domain/traffic-state';
import { renderOpenDecision } from '../domain/open-decision';

const MARK = { pending: '·', running: '▶', passed: '✓', failed: '✗', skipped: '–' } as const;

/** The live "current details" markdown shown in the Temporal UI. */
export function renderCutoverDetails(view: CutoverView): string {
  const rows = view.phases.map(
    (p) =>
      `| ${MARK[p.state]} | ${p.title} | ` +
      `${p.durationMs !== undefined ? formatDuration(p.durationMs) : ''} ` +
      // a failed phase keeps its whole reason (what someone acts on); the others a glance
      `| ${(p.message ?? '').replace(/\|/g, '/').slice(0, p.state === 'failed' ? 2_000 : 160)} |`,
  );
  const votes = view.approvals.map(
    (a) =>
      `- ${a.gate}: **${a.decision}** ${a.role} by ${a.approver} (${a.via}` +
      `${a.keyFingerprint ? `, signed \`${a.keyFingerprint}\`` : ''})`,
  );
  return [
    `**${view.status}** — ${view.message}`,
    '',
    `Started by ${view.startedBy}` +
      (view.startSigned ? ` (signed \`${view.startSigned.keyFingerprint}\`)` : ' (unsigned)'),
    '',
    '| | Phase | Took | Result |',
    '|---|---|---|---|',
    ...rows,
    ...(view.openDecision ? renderOpenDecision(view.openDecision, Date.now()) : []),
    ...(view.traffic
      ? [
          '',
          `**Traffic**: ${trafficLine(view.traffic)}`,
          ...view.traffic.steps
            .slice(-8)
            .map(
              (t) =>
                `- ${t.at.slice(11, 19)} ${t.label}: ${t.summary}` +
                (`${t.verifiedMs !== undefined ? ` (seen through the router in ${t.verifiedMs} ms)` : ''}` +
                  `${t.analysis ? `\n  - checks ${t.analysis}` : ''}`),
            ),
        ]
      : []),
    ...(votes.length ? ['', '**Approvals**', ...votes] : []),
    ...view.rejectedApprovals
      .slice(-5)
      .map((r) => `- rejected vote by ${r.approver} for ${r.role}: ${r.reason.slice(0, 200)}`),
    ...renderMessageLog(view.rejectedMessages),
    ...(view.rollback
      ? [
          '',
          `**Rollback** \`${view.rollback.workflowId}\`: ` +
            `${view.rollback.status ?? 'running'} — ${view.rollback.reason}`,
        ]
      : []),
  ]
    .join('\n')
    .slice(0, 20_000);
}
