import type { Gate } from '@sundew/types';
import { AlwaysOnGate } from './always-on-gate.js';
import { GateConfigError } from './errors.js';
import { InfoBatchGate, type InfoBatchGateConfig } from './infobatch-gate.js';
import { LibraryGate, type LibraryGateConfig } from './library-gate.js';
import {
  SCRIPT_CONFIG_DEFAULTS,
  SCRIPT_TRAINER_CONFIG,
  ScriptGate,
  type ScriptGateConfig,
} from './script-gate.js';
import type { SundewGateConfig } from './sundew-config.js';
import { SundewGate } from './sundew-gate.js';
import { TopKGate } from './top-k-gate.js';

/** Names `createGate` knows, and what each one is (the CLI's help and the READMEs quote these). */
export const gateDescriptions = {
  sundew:
    "Sundew's gate: threshold in the scores' own quantile space, energy store, PI controller; holds any target on any score stream",
  'sundew-reference':
    "the same script gate with the script's SundewConfig defaults: θ₀ 0.7, kp 0.15, ki 0.01",
  'sundew-script':
    "the original standalone script's gate (process_batch + update_threshold) with its trainer's settings: θ₀ 0.5, kp 0.0015, ki 0.00005, cumulative rate",
  'sundew-library':
    "the original library's select_samples (adaptive_sparse_training 1.0.1): deterministic s > θ on raw loss+entropy, top-10 % fallback, θ₀ 3.0, kp 0.005, ki 0.0001, EMA 0.1",
  'top-k': 'the top `rate` share of every batch; exact long-run rate, no controller',
  'always-on': 'every sample (full training behind the gate interface)',
  infobatch:
    "InfoBatch's soft pruning: every sample at or above the batch's mean score, each one below it kept with probability 1 − prune (0.5); no target rate (pair with --scorer stale-loss --reweight infobatch)",
} as const;

export const gateNames = Object.keys(gateDescriptions) as (keyof typeof gateDescriptions)[];
export type GateName = keyof typeof gateDescriptions;

/** Options shared by the named gates: the rate to hold and a seed. */
export interface CreateGateOptions {
  targetActivationRate?: number;
  seed?: number;
  /** Extra options of the gate: `SundewGateConfig` for `sundew`, `ScriptGateConfig` for the script gates, `LibraryGateConfig` for the library's, `InfoBatchGateConfig` for `infobatch`. */
  sundew?: SundewGateConfig | ScriptGateConfig | LibraryGateConfig | InfoBatchGateConfig;
}

/** Build a gate by name (what the CLI's `--gate` takes). */
export function createGate(name: string, options: CreateGateOptions = {}): Gate {
  const rate =
    options.targetActivationRate !== undefined ? { targetActivationRate: options.targetActivationRate } : {};
  const seed = options.seed !== undefined ? { seed: options.seed } : {};
  switch (name as GateName) {
    case 'sundew':
      return new SundewGate({ ...(options.sundew as SundewGateConfig), ...rate, ...seed });
    case 'sundew-script':
      return new ScriptGate({
        ...SCRIPT_TRAINER_CONFIG,
        ...(options.sundew as ScriptGateConfig),
        ...rate,
        ...seed,
      });
    case 'sundew-reference':
      return new ScriptGate({
        ...SCRIPT_CONFIG_DEFAULTS,
        ...(options.sundew as ScriptGateConfig),
        ...rate,
        ...seed,
      });
    case 'sundew-library':
      return new LibraryGate({ ...(options.sundew as LibraryGateConfig), ...rate });
    case 'top-k':
      return new TopKGate({ rate: options.targetActivationRate ?? 0.1 });
    case 'always-on':
      return new AlwaysOnGate();
    case 'infobatch':
      // No target rate: how many it keeps follows the scores.
      return new InfoBatchGate({ ...(options.sundew as InfoBatchGateConfig), ...seed });
    default:
      throw new GateConfigError('gate', `unknown gate "${name}"; known gates: ${gateNames.join(', ')}`);
  }
}
