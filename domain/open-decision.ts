/**
 * An open decision (the GO/NO-GO gate, a monitoring decision point) as a lead needs it in the
 * UI's details: when it closes (UTC) and how long is left, what happens if nobody votes, and the
 * exact vote from the CLI and from the UI's signal form. Pure: the caller passes the time.
 */
import { formatSpan } from './duration';

export interface OpenDecisionView {
  label: string;
  roles: string[];
  /** the workflow that takes the vote */
  workflowId: string;
  /** ISO time the default applies */
  deadlineAt: string;
  windowMs: number;
  /** what the default does, e.g. "rollback", "abort (V1 stays)", "GO" */
  onTimeout: string;
  /** what a NO-GO does here */
  noGo: string;
  /** the plan requires signed votes: the UI's form cannot sign one */
  signed: boolean;
}

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** The GO/NO-GO gate's id in the votes it records (its label is "GO/NO-GO"); a decision point's id is its label. */
export const GO_NO_GO_GATE = 'go-no-go';

/**
 * The exact vote, per role from the CLI and once from the UI's signal form: the details and the
 * live page say the same.
 */
export function voteInstructions(
  d: Pick<OpenDecisionView, 'roles' | 'workflowId' | 'signed'> & Partial<OpenDecisionView>,
) {
  const role = d.roles[0] ?? '<role>';
  const noGo = d.noGo ?? 'vote NO-GO';
  const vote = `{"role": "${role}", "approver": "<your name>", "decision": "GO"}`;
  return {
    cli: d.roles.map((r) => ({
      role: r,
      command: `cutover approve ${d.workflowId} --role ${r} --as <your name>`,
      noGo: `add \`--no-go\` to ${noGo}`,
    })),
    ui: d.signed
      ? `this plan requires signed votes: run the CLI ` +
        `command with \`--print-json\`, then in this page's Signal form ` +
        `send name \`approveSignal\` with that output as the input`
      : `Signal (top right) → name \`approveSignal\`, ` +
        `input \`${vote}\` (\`"decision": "NO_GO"\` to ${noGo}; one vote ` +
        `per role: ${d.roles.join(', ')})`,
  };
}

export function renderOpenDecision(
  d: Pick<OpenDecisionView, 'label' | 'roles'> & Partial<OpenDecisionView>,
  nowMs: number,
): string[] {
  // a view written before these fields existed
  if (!d.deadlineAt || !d.workflowId || d.windowMs === undefined)
    return ['', `**Waiting for ${d.roles.join(', ')}**: ${d.label}`];
  const leftMs = Date.parse(d.deadlineAt) - nowMs;
  const how = voteInstructions({ ...d, workflowId: d.workflowId, signed: !!d.signed });
  return [
    '',
    `**Open decision: ${d.label}** — waiting for ${d.roles.join(' + ')}`,
    `- Deadline: **${utc(d.deadlineAt)}** (` +
      `${leftMs > 0 ? `${formatSpan(leftMs)} left` : 'due now'} as of ${utc(new Date(nowMs).toISOString()).slice(11)})`,
    `- Default: **${d.onTimeout ?? 'the plan default'} after ${formatSpan(d.windowMs)}** if no decision by then`,
    ...how.cli.map((c) => `- Vote (CLI): \`${c.command}\` (${c.noGo})`),
    `- Vote (UI): ${how.ui}`,
  ];
}
