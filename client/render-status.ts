/** The terminal view of a cutover: one line per phase, approvals, rollback, the status line. */
import { FINAL_STATUSES, statusLine, type CutoverView } from '../domain/cutover-model';
import { formatDuration } from '../domain/duration';
import { trafficLine } from '../domain/traffic-state';

const MARK = { pending: '  ', running: '▶ ', passed: '✓ ', failed: '✗ ', skipped: '– ' } as const;

/**
 * A failed phase says its reason on its own line; the status lines after it (ROLLING_BACK, the
 * final STATUS) refer to that line instead of printing the finding list again.
 */
export function referToFailedPhase(view: CutoverView, text: string): string {
  let out = text;
  for (const p of view.phases)
    if (p.state === 'failed' && p.message) out = out.split(p.message).join(`${p.title} failed (see its line)`);
  return out;
}

export function renderStatus(view: CutoverView, now = Date.now()): string {
  const lines = [
    `${view.cutoverId}  plan ${view.plan}` +
      `${view.dryRun ? '  (dry run)' : ''}${view.autoApprove ? '  (auto-approve)' : ''}`,
  ];
  for (const p of view.phases) {
    const took = p.durationMs ?? (p.startedAt ? now - Date.parse(p.startedAt) : undefined);
    const time = took !== undefined ? formatDuration(took).padStart(8) : ''.padStart(8);
    lines.push(`  ${MARK[p.state]}${p.title.padEnd(36)} ${time}  ${p.message ?? ''}`);
  }
  lines.push(
    `  started by ${view.startedBy}` +
      (view.startSigned
        ? ` (signed ${view.startSigned.keyFingerprint} at ${view.startSigned.signedAt})`
        : ' (unsigned)'),
  );
  if (view.heldBefore) lines.push(`  ⏸ held before ${view.heldBefore}: cutover resume ${view.cutoverId}`);
  for (const a of view.approvals)
    lines.push(
      `  vote ${a.gate}: ${a.decision} ${a.role} by ${a.approver} (` +
        `${a.via}${a.signature ? `, signed${a.keyFingerprint ? ` ${a.keyFingerprint}` : ''}` : ''})` +
        `${a.comment ? ` "${a.comment}"` : ''}`,
    );
  for (const r of view.rejectedApprovals) lines.push(`  rejected vote by ${r.approver} for ${r.role}: ${r.reason}`);
  if (view.rejectedMessages?.count)
    lines.push(
      `  ${view.rejectedMessages.count} signal(s) not taken as sent` +
        (view.rejectedMessages.count > view.rejectedMessages.last.length
          ? ` (last ${view.rejectedMessages.last.length})`
          : '') +
        `:`,
    );
  for (const m of view.rejectedMessages?.last ?? [])
    lines.push(`    ${m.at} ${m.name} ` + `${m.honoured ? 'honoured with defaults' : 'rejected'}: ${m.reason}`);
  if (view.traffic) {
    lines.push(`  traffic: ${trafficLine(view.traffic)}`);
    for (const t of view.traffic.steps)
      lines.push(
        `    ${t.at.slice(11, 19)} ${t.label}: ${t.summary}` +
          (`${t.verifiedMs !== undefined ? ` (seen through the router in ${formatDuration(t.verifiedMs)})` : ''}` +
            `${t.analysis ? `\n      checks ${t.analysis}` : ''}`),
      );
  }
  if (view.rollback)
    lines.push(
      `  rollback ${view.rollback.workflowId}: ` +
        (`` +
          (view.rollback.status ?? 'running') +
          `` +
          (view.rollback.durationMs !== undefined ? ` in ${formatDuration(view.rollback.durationMs)}` : '') +
          ``),
    );
  if (view.monitoringWorkflowId) lines.push(`  monitoring: cutover status ${view.monitoringWorkflowId}`);
  lines.push(
    FINAL_STATUSES.includes(view.status)
      ? statusLine(view.status)
      : `STATUS: ${view.status} — ${referToFailedPhase(view, view.message)}`,
  );
  if (FINAL_STATUSES.includes(view.status)) lines.push(`  ${referToFailedPhase(view, view.message)}`);
  return lines.join('\n');
}
