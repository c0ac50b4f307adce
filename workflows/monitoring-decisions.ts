/**
 * The monitoring's decision points: a window that starts when the point actually opened and the
 * leads were told (not when it was scheduled), has any outage inside it given back
 * (domain/voting-window.ts), and ends in the plan's default only after the leads had all of it —
 * recorded as "default after N min, no vote", never as a decision of the leads.
 */
import { formatSpan } from '../domain/duration';
import { defaultNote, openWindow } from '../domain/voting-window';
import type { MonitoringState } from '../domain/monitoring-model';
import { hourLabel } from '../domain/monitoring-schedule';
import type { ApprovalGates, GateSpec } from './approval-gate';

export interface DecisionContext {
  state: MonitoringState;
  gates: ApprovalGates;
  specFor(index: number): GateSpec;
  /** a point opened later than this after its scheduled time opened late (one probe interval) */
  lateAfterMs: number;
  notify(key: string, text: string, severity?: 'info' | 'warning' | 'critical'): Promise<void>;
}

const offsetNow = (state: MonitoringState) => Date.now() - state.startMs;
const at = (state: MonitoringState, offsetMs: number) => new Date(state.startMs + offsetMs).toISOString();

export class DecisionPoints {
  constructor(private readonly c: DecisionContext) {}

  /** Opens a point (or queues it behind the one still open); its window counts from after the notification. */
  async open(index: number, scheduledOffsetMs: number): Promise<void> {
    const { state, gates } = this.c;
    if (state.openDecision) {
      (state.pendingDecisions ??= []).push({ index, scheduledOffsetMs });
      return;
    }
    const spec = this.c.specFor(index);
    gates.open(spec);
    const lateMs = offsetNow(state) - scheduledOffsetMs;
    state.openDecision = {
      index,
      ...openWindow(scheduledOffsetMs, spec.timeoutMs),
      openedAt: new Date().toISOString(),
      scheduledOffsetMs,
    };
    const lateText =
      lateMs > this.c.lateAfterMs
        ? ` — due at ${hourLabel(scheduledOffsetMs)}, opened ` +
          `${formatSpan(lateMs)} late after an outage, with its whole window`
        : '';
    await this.c.notify(
      `open:${spec.id}`,
      `${spec.id}: waiting for ${spec.roles.join(', ')} (GO to ` +
        `continue, NO_GO to roll back; default ` +
        `${spec.onTimeout === 'GO' ? 'continue' : 'rollback'} after ` +
        `${formatSpan(spec.timeoutMs)})${lateText}`,
    );
    // Workflow time after the notification: the leads cannot answer before they are told.
    const opened = offsetNow(state);
    Object.assign(state.openDecision, { ...openWindow(opened, spec.timeoutMs), openedAt: at(state, opened) });
  }

  /**
   * Whether closeIfDone() has anything to close: the loop asks every probe, and an async call costs the SDK a stack
   * trace per promise.
   */
  closable(nowOffsetMs: number): boolean {
    const open = this.c.state.openDecision;
    return !!open && (this.c.gates.outcome() !== undefined || nowOffsetMs >= open.deadlineOffsetMs);
  }

  /** Closes the open point if the votes decided it or its (whole) window passed. */
  async closeIfDone(
    nowOffsetMs: number,
  ): Promise<{ label: string; outcome: 'continue' | 'rollback'; rollbackReason?: string } | undefined> {
    const { state, gates } = this.c;
    const open = state.openDecision;
    if (!open) return undefined;
    const decided = gates.outcome();
    if (!decided && nowOffsetMs < open.deadlineOffsetMs) return undefined;
    const spec = this.c.specFor(open.index);
    const windowMs = open.windowMs ?? spec.timeoutMs;
    const note = decided ? undefined : defaultNote(open, windowMs);
    if (!decided) gates.recordTimeout(spec, note);
    const outcome = (decided ?? spec.onTimeout) === 'GO' ? 'continue' : 'rollback';
    const scheduled = open.scheduledOffsetMs ?? open.openedOffsetMs;
    state.decisions.push({
      label: spec.id,
      offsetMs: scheduled,
      scheduledAt: at(state, scheduled),
      openedAt: open.openedAt,
      openedOffsetMs: open.openedOffsetMs,
      decidedAt: new Date().toISOString(),
      windowMs,
      extendedMs: open.extendedMs,
      outcome,
      via: decided ? 'votes' : 'timeout-default',
      roles: spec.roles,
      note,
    });
    gates.close();
    state.openDecision = undefined;
    const what = outcome === 'continue' ? 'GO — monitoring continues' : 'ROLLBACK';
    await this.c.notify(
      `decision:${spec.id}`,
      `${spec.id}: ${what}${note ? ` (${note}: plan default)` : ' (decided by the leads)'}`,
      outcome === 'rollback' ? 'critical' : 'info',
    );
    if (outcome === 'continue') {
      const next = state.pendingDecisions?.shift();
      if (next) await this.open(next.index, next.scheduledOffsetMs);
      return { label: spec.id, outcome };
    }
    return {
      label: spec.id,
      outcome,
      rollbackReason: decided
        ? `${spec.id}: the leads decided to roll back`
        : `${spec.id}: ${note}; the plan's default is rollback`,
    };
  }
}
