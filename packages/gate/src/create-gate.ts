import type { Gate } from '@sundew/types';
import { AlwaysOnGate } from './always-on-gate.js';
import { GateConfigError } from './errors.js';
import { SUNDEW_REFERENCE_CONFIG, SUNDEW_SCRIPT_CONFIG, type SundewGateConfig } from './sundew-config.js';
import { SundewGate } from './sundew-gate.js';
import { TopKGate } from './top-k-gate.js';

/** Names `createGate` knows. */
export const gateNames = [
  'sundew',
  'sundew-reference',
  'sundew-script',
  'sundew-library',
  'top-k',
  'always-on',
] as const;
export type GateName = (typeof gateNames)[number];

/** Options shared by the named gates: the rate to hold and a seed. */
export interface CreateGateOptions {
  targetActivationRate?: number;
  seed?: number;
  /** Extra SundewGate options (sundew variants only). */
  sundew?: SundewGateConfig;
}

/** Build a gate by name (what the CLI's `--gate` takes). */
export function createGate(name: string, options: CreateGateOptions = {}): Gate {
  const rate =
    options.targetActivationRate !== undefined ? { targetActivationRate: options.targetActivationRate } : {};
  const seed = options.seed !== undefined ? { seed: options.seed } : {};
  switch (name as GateName) {
    case 'sundew':
      return new SundewGate({ ...options.sundew, ...rate, ...seed });
    case 'sundew-reference':
      return new SundewGate({ ...SUNDEW_REFERENCE_CONFIG, ...options.sundew, ...rate, ...seed });
    case 'sundew-script':
      return new SundewGate({ ...SUNDEW_SCRIPT_CONFIG, ...options.sundew, ...rate, ...seed });
    case 'sundew-library':
      return new SundewGate({
        activationThreshold: 0.7,
        ...options.sundew,
        variant: 'library',
        ...rate,
        ...seed,
      });
    case 'top-k':
      return new TopKGate({ rate: options.targetActivationRate ?? 0.1 });
    case 'always-on':
      return new AlwaysOnGate();
    default:
      throw new GateConfigError('gate', `unknown gate "${name}"; known gates: ${gateNames.join(', ')}`);
  }
}
