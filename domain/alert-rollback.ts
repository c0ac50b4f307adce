/**
 * What an Alertmanager webhook notification asks of cutover: for each firing alert that names a
 * plan (label `cutover_plan`) or a cutover (`cutover_id`) with a severity the receiver acts on, a
 * rollback of that plan's running monitoring or cutover. Pure: the server does the signalling.
 * The payload is Alertmanager's (version "4"); fields it adds later are ignored, not refused.
 */
import { z } from 'zod';
import { MAX_TEXT } from './message-schemas';

const labels = z.record(z.string(), z.string());
const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().optional(),
});
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4', { error: 'version: expected "4" (the Alertmanager webhook format)' }),
  groupKey: z.string(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().default(''),
  externalURL: z.string().default(''),
  alerts: z.array(alertSchema).min(1),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;
export type Alert = AlertmanagerPayload['alerts'][number];

export type AlertTarget = { plan: string } | { cutoverId: string };

export type AlertDecision =
  | { alert: string; action: 'rollback'; target: AlertTarget; reason: string }
  | { alert: string; action: 'ignore'; why: string };

/** A plan or cutover id as the workflows write them: anything else cannot name one, and stays out of queries. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** The reason the workflow records: the alert's name, its summary, and the link to its source. */
export function rollbackReason(alert: Alert): string {
  const name = alert.labels.alertname ?? 'unnamed alert';
  const summary = alert.annotations.summary ?? alert.annotations.description;
  const text = `alert ${name}${summary ? `: ${summary}` : ''}${alert.generatorURL ? ` (${alert.generatorURL})` : ''}`;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function decideAlert(alert: Alert, severities: readonly string[]): AlertDecision {
  const name = alert.labels.alertname ?? 'unnamed alert';
  if (alert.status === 'resolved') return { alert: name, action: 'ignore', why: 'resolved: nothing to roll back' };
  const severity = alert.labels.severity;
  if (!severity || !severities.includes(severity))
    return {
      alert: name,
      action: 'ignore',
      why:
        `severity ${severity ? `"${severity}"` : '(none)'} is not one this receiver rolls back on ` +
        `(${severities.join(', ')}): nothing done`,
    };
  const plan = alert.labels.cutover_plan;
  const cutoverId = alert.labels.cutover_id;
  const named = cutoverId ?? plan;
  if (named === undefined)
    return { alert: name, action: 'ignore', why: 'no cutover_plan or cutover_id label: nothing to roll back' };
  if (!NAME.test(named))
    return {
      alert: name,
      action: 'ignore',
      why:
        `${cutoverId !== undefined ? 'cutover_id' : 'cutover_plan'} "${named.slice(0, 60)}" ` +
        'is not a plan name or cutover id: nothing done',
    };
  const target: AlertTarget = cutoverId !== undefined ? { cutoverId } : { plan: plan! };
  return { alert: name, action: 'rollback', target, reason: rollbackReason(alert) };
}
