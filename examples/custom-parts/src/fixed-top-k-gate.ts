import type { Gate, GateStats } from '@sundew/types';

/** State of the gate: two counters. */
type State = { seen: number; kept: number };

/**
 * A user's own gate, written against `Gate` from `@sundew/types` alone: keep
 * exactly the k highest scores of every batch. No controller, no energy store.
 */
export class FixedTopKGate implements Gate<State> {
  readonly name = 'fixed-top-k';
  private seen = 0;
  private kept = 0;
  private last = 0;

  constructor(private readonly k: number) {}

  get targetActivationRate(): undefined {
    return undefined;
  }

  decide(scores: Float32Array): Uint8Array {
    const mask = new Uint8Array(scores.length);
    const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!);
    for (const i of order.slice(0, this.k)) mask[i] = 1;
    const k = Math.min(this.k, scores.length);
    this.seen += scores.length;
    this.kept += k;
    this.last = scores.length > 0 ? k / scores.length : 0;
    return mask;
  }

  stats(): GateStats {
    const consumed = 10 * this.kept + 0.1 * (this.seen - this.kept);
    const baseline = 10 * this.seen;
    return {
      threshold: Number.NaN,
      activationRate: this.last,
      smoothedActivationRate: this.last,
      cumulativeActivationRate: this.seen > 0 ? this.kept / this.seen : 0,
      processed: this.seen,
      activated: this.kept,
      energyConsumed: consumed,
      energyBaseline: baseline,
      energySavedPercent: baseline > 0 ? (100 * (baseline - consumed)) / baseline : 0,
    };
  }

  state(): State {
    return { seen: this.seen, kept: this.kept };
  }

  restore(state: State): void {
    this.seen = state.seen;
    this.kept = state.kept;
  }
}
