import type { JsonObject } from './json.js';

/** What a gate reports about itself after the batches it has decided so far. */
export interface GateStats {
  /** The threshold that will be used for the next batch. */
  threshold: number;
  /** Activation rate of the last batch decided (activated / processed), 0 before any batch. */
  activationRate: number;
  /** Smoothed activation rate the controller steers with (EMA over batches). */
  smoothedActivationRate: number;
  /** Activation rate over every sample since the gate was made (or last reset). */
  cumulativeActivationRate: number;
  /** Samples seen since the start. */
  processed: number;
  /** Samples activated since the start. */
  activated: number;
  /** Modeled energy spent: energyPerActivation per activation plus energyPerSkip per skip. */
  energyConsumed: number;
  /** Modeled energy full training would have spent: energyPerActivation per sample. */
  energyBaseline: number;
  /** 100 · (baseline − consumed) / baseline, 0 before any sample. */
  energySavedPercent: number;
}

/**
 * A gate turns significance scores into a training mask, one batch at a time.
 * The threshold is fixed within one `decide` call and adapted once after it.
 */
export interface Gate<State extends JsonObject = JsonObject> {
  /** Short name for logs and metrics, e.g. `sundew`, `top-k`. */
  readonly name: string;
  /** The rate this gate steers toward, if it has one (metrics and plots draw it). */
  readonly targetActivationRate?: number;
  /** 1 = train on this sample, 0 = skip it. Same length as `scores`. */
  decide(scores: Float32Array): Uint8Array;
  /** Counters and controller state after the batches decided so far. */
  stats(): GateStats;
  /** Everything needed to continue exactly where the gate is: a JSON object. */
  state(): State;
  /** Continue from a state returned by `state()`. */
  restore(state: State): void;
}
