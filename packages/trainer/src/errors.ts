/** A non-finite loss or gradient: training stops before the weights are touched. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    what: string,
  ) {
    super(
      `non-finite ${what} at epoch ${epoch + 1}, batch ${batch + 1}: the weights were not updated. ` +
        'Lower the learning rate, check the inputs for NaN, or pass onNonFinite: "skip" to skip such batches',
    );
  }
}

/** A trainer option that cannot work; the message names it and what would. */
export class TrainerConfigError extends Error {
  override readonly name = 'TrainerConfigError';
}

/** Why a checkpoint failed: unreadable, damaged, of another run, or not writable (e.g. a full disk). */
export type CheckpointErrorCode = 'read' | 'corrupt' | 'mismatch' | 'write';

/** A checkpoint that cannot be read, used or written; the message names the file and what to do. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly code: CheckpointErrorCode,
    message: string,
    /** The checkpoint file concerned. */
    readonly path?: string,
  ) {
    super(message);
  }
}
