/**
 * The router's state during the monitoring (who serves, weights), read by its driver at the
 * start, at each validation and decision point, and at the end, for the status, the UI details
 * and the 24-hour report.
 * A router that cannot be read is noted, never a reason to stop monitoring.
 */
import type { LoadedPlan } from '../domain/loaded-plan';
import type { MonitoringState } from '../domain/monitoring-model';
import { failureMessage } from './failure-message';
import { onHost } from './host-routing';

/** start + 24 hourly validations + decision points + end fit; a longer plan keeps the first and the latest */
const KEPT = 60;

export async function readRouter(
  loaded: LoadedPlan,
  state: MonitoringState,
  offsetMs: number,
  label: string,
): Promise<void> {
  if (!loaded.plan.traffic) return;
  let summary: string;
  try {
    const read = await onHost(loaded, 'traffic', 'quick', `Read the router: ${label}`).readTrafficState(loaded);
    summary = read?.summary ?? 'no router';
  } catch (err) {
    summary = `could not be read: ${failureMessage(err)}`;
  }
  const readings = (state.traffic ??= []);
  readings.push({ offsetMs, at: new Date().toISOString(), label, summary });
  if (readings.length > KEPT) readings.splice(1, readings.length - KEPT);
}
