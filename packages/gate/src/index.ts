export { AlwaysOnGate, type AlwaysOnGateState } from './always-on-gate.js';
export { RateController, type RateControllerConfig, type RateControllerState } from './controller.js';
export { type CreateGateOptions, createGate, type GateName, gateNames } from './create-gate.js';
export { EnergyAccount, type EnergyCosts } from './energy.js';
export { GateConfigError, GateStateError } from './errors.js';
export {
  energyForRate,
  type ResolvedSundewGateConfig,
  resolveSundewConfig,
  SUNDEW_DEFAULTS,
  SUNDEW_REFERENCE_CONFIG,
  SUNDEW_SCRIPT_CONFIG,
  type SundewGateConfig,
} from './sundew-config.js';
export { SundewGate, type SundewGateState, type SundewGateStats } from './sundew-gate.js';
export { TopKGate, type TopKGateConfig, type TopKGateState } from './top-k-gate.js';
