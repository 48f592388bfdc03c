/** Settings of the threshold controller (SPEC "The Sundew gate", once per batch). */
export interface RateControllerConfig {
  targetActivationRate: number;
  adaptKp: number;
  adaptKi: number;
  emaAlpha: number;
  /** Where the threshold is clamped. */
  thresholdRange: readonly [number, number];
  /** Inside this open band the integral accumulates; outside it decays (anti-windup). */
  integralBand: readonly [number, number];
  /** |integral| never exceeds this. */
  integralLimit: number;
  /** `batch`: steer on each batch's rate; `cumulative`: on the rate since the start (the reference). */
  rateWindow: 'batch' | 'cumulative';
}

/** The controller's whole state. */
export interface RateControllerState {
  threshold: number;
  ema: number;
  integral: number;
  lastRate: number;
}

/**
 * The Sundew threshold controller: an EMA of the activation rate, and a
 * velocity-form PI update θ' = θ + kp·e + ki·I with anti-windup.
 */
export class RateController {
  threshold: number;
  ema: number;
  integral = 0;
  lastRate = 0;

  constructor(
    private readonly config: RateControllerConfig,
    initialThreshold: number,
  ) {
    this.threshold = initialThreshold;
    this.ema = config.targetActivationRate;
  }

  /** Adapt once after a batch. `rate` is the batch's (or the cumulative) activation rate. */
  update(rate: number): void {
    const c = this.config;
    this.lastRate = rate;
    this.ema = c.emaAlpha * rate + (1 - c.emaAlpha) * this.ema;
    const error = this.ema - c.targetActivationRate;
    const next = this.threshold + c.adaptKp * error + c.adaptKi * this.integral;
    if (next > c.integralBand[0] && next < c.integralBand[1]) {
      this.integral = Math.min(c.integralLimit, Math.max(-c.integralLimit, this.integral + error));
    } else {
      this.integral *= 0.9;
    }
    this.threshold = Math.min(c.thresholdRange[1], Math.max(c.thresholdRange[0], next));
  }

  state(): RateControllerState {
    return { threshold: this.threshold, ema: this.ema, integral: this.integral, lastRate: this.lastRate };
  }

  restore(s: RateControllerState): void {
    this.threshold = s.threshold;
    this.ema = s.ema;
    this.integral = s.integral;
    this.lastRate = s.lastRate;
  }
}
