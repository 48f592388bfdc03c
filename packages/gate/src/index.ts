export { AlwaysOnGate, type AlwaysOnGateState } from './always-on-gate.js';
export { RateController, type RateControllerConfig, type RateControllerState } from './controller.js';
export {
  type CreateGateOptions,
  createGate,
  type GateName,
  gateDescriptions,
  gateNames,
} from './create-gate.js';
export { EnergyAccount, type EnergyCosts } from './energy.js';
export { GateConfigError, GateStateError } from './errors.js';
export {
  finiteMean,
  InfoBatchGate,
  type InfoBatchGateConfig,
  type InfoBatchGateState,
} from './infobatch-gate.js';
export {
  LIBRARY_DEFAULTS,
  LibraryGate,
  type LibraryGateConfig,
  type LibraryGateState,
  type ResolvedLibraryGateConfig,
} from './library-gate.js';
export { StreamQuantiles } from './quantiles.js';
export {
  type ResolvedScriptGateConfig,
  SCRIPT_CONFIG_DEFAULTS,
  SCRIPT_TRAINER_CONFIG,
  ScriptGate,
  type ScriptGateConfig,
  type ScriptGateState,
} from './script-gate.js';
export {
  energyForRate,
  type ResolvedSundewGateConfig,
  rateAtThreshold,
  resolveSundewConfig,
  SUNDEW_DEFAULTS,
  type SundewGateConfig,
  thresholdForRate,
  thresholdRange,
} from './sundew-config.js';
export { SundewGate, type SundewGateState, type SundewGateStats } from './sundew-gate.js';
export { TopKGate, type TopKGateConfig, type TopKGateState } from './top-k-gate.js';
