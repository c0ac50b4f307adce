/** Keeps the phase list of a cutover; time is passed in so workflow code stays deterministic. */
import { PHASES, type PhaseId, type PhaseState, type PhaseView } from './cutover-model';

export class PhaseTracker {
  readonly phases: PhaseView[] = PHASES.map((p) => ({ id: p.id, title: p.title, state: 'pending' as PhaseState }));

  get(id: PhaseId): PhaseView {
    return this.phases.find((p) => p.id === id)!;
  }

  start(id: PhaseId, now: Date): PhaseView {
    const phase = this.get(id);
    Object.assign(phase, { state: 'running', startedAt: now.toISOString(), endedAt: undefined, message: undefined });
    return phase;
  }

  end(id: PhaseId, state: Exclude<PhaseState, 'pending' | 'running'>, now: Date, message?: string): PhaseView {
    const phase = this.get(id);
    phase.state = state;
    phase.endedAt = now.toISOString();
    if (phase.startedAt) phase.durationMs = now.getTime() - Date.parse(phase.startedAt);
    if (message !== undefined) phase.message = message;
    return phase;
  }

  current(): PhaseView | undefined {
    return this.phases.find((p) => p.state === 'running');
  }

  /** The log line in the seed's signature: "Phase 0: Pre-cutover validation ✓". */
  static line(phase: PhaseView): string {
    const marks: Record<string, string> = { passed: '✓', failed: '✗', skipped: '(skipped)' };
    const mark = marks[phase.state] ?? '';
    return `${phase.title} ${mark}${phase.message ? ` — ${phase.message}` : ''}`.trim();
  }
}
