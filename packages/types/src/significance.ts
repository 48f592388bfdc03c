import type { JsonObject } from './json.js';

/**
 * What the trainer knows about one batch when it asks for scores. Plain typed
 * arrays, so scorers need no tensor library.
 */
export interface ScoringBatch {
  /** Dataset indices of the samples (stable across epochs): what per-sample caches key on. */
  indices: Int32Array;
  /** Class label per sample. */
  labels: Int32Array;
  /** Number of classes of the task. */
  numClasses: number;
  /** Per-sample cross-entropy loss of a forward pass without gradients (when the scorer asked for one). */
  losses?: Float32Array;
  /** Row-major logits [B, numClasses] of that forward pass (when the scorer asked for one). */
  logits?: Float32Array;
  /** Per-sample standard deviation of the input pixels (when the scorer asked for it). */
  inputStd?: Float32Array;
}

/** What a scorer needs the trainer to compute before `score` is called. */
export interface ScorerNeeds {
  /** A forward pass without gradients on the whole batch (losses and logits). */
  forward: boolean;
  /** The per-sample pixel standard deviation of the input. */
  inputStd?: boolean;
}

/** Scores samples: higher means more worth a gradient step. */
export interface SignificanceScorer<State extends JsonObject = JsonObject> {
  /** Short name, e.g. `batch-relative`. */
  readonly name: string;
  /** What the trainer must compute first; `forward: false` lets it skip the scoring forward. */
  readonly needs: ScorerNeeds;
  /** One score per sample of the batch. */
  score(batch: ScoringBatch): Float32Array;
  /**
   * Called after a training step with the per-sample losses the step computed
   * for the samples it trained on (stale-loss scorers cache them).
   */
  observe?(indices: Int32Array, losses: Float32Array): void;
  /** Checkpointable state (e.g. a loss cache or RNG). */
  state(): State;
  /** Continue from `state()`. */
  restore(state: State): void;
}
