import { applyPatch, type Faults, type FaultsPatch } from './faults';

/**
 * The live faults of one process plus what they have done so far. Error injection is a
 * deterministic accumulator, not a coin flip: rate 0.25 fails exactly every 4th eligible request,
 * so tests and cutover rehearsals see the same error rate every time.
 */
export class FaultState {
  private faults: Faults;
  private errorCredit = 0;
  private injectedErrors = 0;
  private leaked: number[][] = [];
  private leakTimer: NodeJS.Timeout | null = null;

  constructor(initial: Faults) {
    this.faults = initial;
    this.syncLeak();
  }

  get current(): Faults {
    return this.faults;
  }

  /** Returns the faults before the change, so callers can tell what changed. */
  patch(patch: FaultsPatch): Faults {
    const before = this.faults;
    this.faults = applyPatch(this.faults, patch);
    this.onChange(before);
    return before;
  }

  clear(): Faults {
    const before = this.faults;
    this.faults = {};
    this.onChange(before);
    return before;
  }

  /** Call once per eligible request; true means answer it with an injected 500. */
  takeError(): boolean {
    const rate = this.faults.errorRate ?? 0;
    if (rate <= 0) return false;
    this.errorCredit += rate;
    if (this.errorCredit < 1 - 1e-9) return false;
    this.errorCredit -= 1;
    this.injectedErrors += 1;
    return true;
  }

  status(): { injectedErrors: number; leakedMb: number } {
    return { injectedErrors: this.injectedErrors, leakedMb: this.leaked.length / 8 };
  }

  stop(): void {
    if (this.leakTimer) clearInterval(this.leakTimer);
    this.leakTimer = null;
  }

  private onChange(before: Faults): void {
    if (before.errorRate !== this.faults.errorRate) this.errorCredit = 0;
    this.syncLeak();
  }

  /** Leaks on the JS heap (not Buffers) so heap metrics show it; freed when the fault is removed. */
  private syncLeak(): void {
    const rate = this.faults.memoryLeakMbPerSec ?? 0;
    this.stop();
    if (rate <= 0) {
      this.leaked = [];
      return;
    }
    const TICK_MS = 125;
    const blocksPerTick = ((rate * TICK_MS) / 1000) * 8; // a block is 1/8 MB: 16384 doubles
    let owed = 0;
    this.leakTimer = setInterval(() => {
      owed += blocksPerTick;
      for (; owed >= 1; owed -= 1) this.leaked.push(new Array<number>(16_384).fill(1.5));
    }, TICK_MS);
    this.leakTimer.unref();
  }
}
