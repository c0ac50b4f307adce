/**
 * One schema per signal payload and per workflow input, shared by the CLI (which builds its
 * payloads through them) and the workflows (which check what arrives from anyone: the Temporal
 * UI, the `temporal` CLI, a script). Pure, so workflow code and update validators may use it.
 */
import { z } from 'zod';
import { PHASE_IDS, type CutoverInput } from './cutover-model';
import type { MonitoringInput } from './monitoring-model';
import type { RollbackInput } from './rollback-model';
import { ALL_COMPENSATIONS } from './rollback-model';
import { isUndecodable, undecodableText } from './undecodable';

export { approvalSchema } from './approval-rules';

/** Free text in a message (a reason, a comment): longer is cut, with a note. */
export const MAX_TEXT = 500;
/** A person's name or an id. */
export const MAX_NAME = 100;

const text = z.string().max(MAX_TEXT, { error: `keep it under ${MAX_TEXT} characters` });
const who = z
  .string()
  .min(1)
  .max(MAX_NAME, { error: `keep it under ${MAX_NAME} characters` });
/** Workflow ids (Temporal allows 1000 characters): never a reason to refuse a rollback our own cutover starts. */
const workflowId = z.string().min(1).max(1000);
const phase = z.enum(PHASE_IDS, { error: `use one of ${PHASE_IDS.join(', ')}` });

// ---- signals -------------------------------------------------------------------------------
/** `abort` and `rollback`: both fields optional, a stop request is never refused for lacking them. */
export const stopPayloadSchema = z.strictObject({ reason: text.optional(), by: who.optional() });
export const abortPayloadSchema = stopPayloadSchema;
export const rollbackPayloadSchema = stopPayloadSchema;
/** `resume`: without a phase it resumes every phase named in holdBefore. */
export const resumePayloadSchema = z.strictObject({ phase: phase.optional(), by: who.optional() });
export type StopPayload = z.infer<typeof stopPayloadSchema>;
export type ResumePayload = z.infer<typeof resumePayloadSchema>;

// ---- workflow inputs -----------------------------------------------------------------------
const planRef = z.union([z.string().min(1).max(1000), z.record(z.string(), z.unknown())], {
  error: 'use a plan path the worker can read (e.g. "demo/cutover-plan.yaml") or the plan object inline',
});
const kpis = z.record(z.string(), z.number(), { error: 'use an object of KPI name → number' });
/**
 * Shapes our own workflows hand over (loaded plan, state, backup record); trusted only from them (see untrustedFields).
 */
const internal = z.record(z.string(), z.unknown(), { error: 'an object handed over by the cutover workflow' });

export const cutoverInputSchema = z.strictObject({
  plan: planRef,
  autoApprove: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  startedBy: who.optional(),
  holdBefore: z.array(phase).max(PHASE_IDS.length).optional(),
  monitor: z.boolean().optional(),
  startSignature: z
    .strictObject({ signature: z.string().max(4000), signedAt: z.string().max(40) })
    .optional()
    .describe('`cutover start --key` makes it'),
});
// Monitoring and rollback inputs mostly come from our own workflows: nothing they send may be refused
// for a length or a KPI value (a refused rollback leaves V2 serving), so their limits are loose.
export const monitoringInputSchema = z.strictObject({
  plan: planRef,
  cutoverId: workflowId,
  baseline: internal.optional(),
  loaded: internal.optional(),
  state: internal.optional(),
  backup: internal.optional(),
});
export const rollbackInputSchema = z.strictObject({
  plan: planRef,
  /** a missing reason is not a reason to refuse a rollback: the workflow says "no reason given" */
  reason: z.string().optional(),
  cutoverId: workflowId.optional(),
  requestedBy: workflowId.optional(),
  compensations: z.array(z.enum(ALL_COMPENSATIONS)).optional(),
  backup: internal.optional(),
  /** a manual rollback names the archive by label; the worker finds it in the plan's backup folder */
  backupLabel: z
    .string()
    .max(300, { error: 'a backup label is a file name prefix, e.g. loans-demo.cutover-loans-demo-…' })
    .optional(),
  baseline: internal.optional(),
  loaded: internal.optional(),
});
export const validationInputSchema = z.strictObject({
  plan: planRef,
  target: z.enum(['v1', 'v2'], { error: 'use "v1" or "v2"' }).optional(),
  baseline: kpis.optional(),
});

/** Fields only our own workflows may pass: a hand-started run must load its plan itself. */
export const TRUSTED_FIELDS = {
  monitoring: ['loaded', 'state', 'backup'],
  rollback: ['loaded', 'backup', 'compensations'],
} as const;

/** What a workflow is told to send, by field: the fix that goes with "required". */
const FIELD_HINTS: Record<string, string> = {
  plan: 'give a plan path the worker can read, e.g. {"plan": "demo/cutover-plan.yaml"}',
  cutoverId: 'give the id of the cutover this monitoring belongs to',
};

/** A zod error as one line per problem, each naming the field (input.x) and the fix. Parse with `reportInput: true`. */
export function describeIssues(error: z.ZodError, root = 'input'): string {
  return error.issues
    .map((issue) => {
      const field = [root, ...issue.path.map(String)].join('.');
      const last = String(issue.path.at(-1) ?? '');
      if (issue.code === 'unrecognized_keys')
        return (
          `${field}: unknown field(s) ` + `${issue.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}: ` + `remove them`
        );
      if (issue.input === undefined) {
        return issue.path.length
          ? `${field}: required — ${FIELD_HINTS[last] ?? 'add it'}`
          : `${field}: required — start it with an object, e.g. {"plan": "demo/cutover-plan.yaml"}`;
      }
      if (issue.code === 'invalid_type' && issue.path.length === 0)
        return `${field}: must be an object, e.g. {"plan": "demo/cutover-plan.yaml"}`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates an input without throwing; the workflow keeps the value it was given (nothing is rewritten). */
export function checkInput<T>(schema: z.ZodType, input: unknown): Checked<T> {
  if (isUndecodable(input)) return { ok: false, message: undecodableText(input, 'input') };
  const parsed = schema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: input as T } : { ok: false, message: describeIssues(parsed.error) };
}

/** Where a workflow came from, as workflowInfo() tells it. */
export interface Origin {
  parentWorkflowId?: string;
  continuedFromRunId?: string;
}

/**
 * The trusted fields are refused unless this run was started by one of `parents` (our own
 * workflows: the cutover, its monitoring) or continued from our own run. Returns why, or undefined.
 */
export function untrustedFields(
  input: object,
  fields: readonly string[],
  origin: Origin,
  parents: string[],
): string | undefined {
  const given = fields.filter((f) => (input as Record<string, unknown>)[f] !== undefined);
  if (!given.length || origin.continuedFromRunId) return undefined;
  if (origin.parentWorkflowId && parents.includes(origin.parentWorkflowId)) return undefined;
  return (
    `${given.map((f) => `input.${f}`).join(', ')}: accepted only ` +
    `from the cutover's own workflows (this run has ` +
    `${origin.parentWorkflowId ? `parent ${origin.parentWorkflowId}` : 'no parent'}); ` +
    `a run started by hand names a plan path and loads it — remove ${given.length > 1 ? 'them' : 'it'}`
  );
}

// Every field the interfaces know is in the schemas (a field added to an interface but not here fails tsc).
type Covers<I, S> = [Exclude<keyof I, keyof S>] extends [never] ? true : false;
export const SCHEMAS_COVER_INPUTS: [
  Covers<CutoverInput, z.input<typeof cutoverInputSchema>>,
  Covers<MonitoringInput, z.input<typeof monitoringInputSchema>>,
  Covers<RollbackInput & { loaded?: unknown }, z.input<typeof rollbackInputSchema>>,
] = [true, true, true];
