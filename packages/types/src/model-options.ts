/** Floating-point operations of one forward pass and one training step at a batch size. */
export interface FlopCount {
  forward: number;
  /** Forward + backward (weights and inputs gradients). */
  trainStep: number;
}

/** Options of one forward pass. */
export interface ApplyOptions {
  /** Dropout and other training-only behaviour on. */
  training: boolean;
  /** Seed for dropout masks of this call (reproducibility). */
  seed?: number;
}
