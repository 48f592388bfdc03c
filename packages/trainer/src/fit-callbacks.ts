/** Logs a callback receives: numbers by name, as tfjs's `Logs`. */
export type FitLogs = Record<string, number>;

/**
 * A callback in tfjs's shape (`CustomCallbackArgs`): every method optional,
 * async allowed. `tfvis.show.fitCallbacks(...)` returns one; so does any
 * `tf.Callback` (then `setModel`/`setParams` are called too).
 */
export interface FitCallback {
  onTrainBegin?(logs?: FitLogs): void | Promise<void>;
  onTrainEnd?(logs?: FitLogs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: FitLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: FitLogs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: FitLogs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: FitLogs): void | Promise<void>;
  setModel?(model: unknown): void;
  setParams?(params: Record<string, unknown>): void;
}

type Event = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd';

/** Several callbacks called in order, each awaited, as tfjs's `CallbackList`. */
export class FitCallbackList {
  private readonly list: FitCallback[];

  constructor(
    callbacks: FitCallback | FitCallback[] | undefined,
    model: unknown,
    params: Record<string, unknown>,
  ) {
    this.list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
    for (const c of this.list) {
      c.setModel?.(model);
      c.setParams?.(params);
    }
  }

  /** Call `event` on every callback that has it. */
  async call(event: Event, ...args: [number, FitLogs] | [FitLogs]): Promise<void> {
    for (const c of this.list) {
      const f = c[event] as ((...a: unknown[]) => unknown) | undefined;
      if (f) await f.apply(c, args);
    }
  }
}
