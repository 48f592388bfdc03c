import './gradients.js';

export {
  type BackendChoice,
  type BackendOptions,
  type BackendSelection,
  BackendUnavailableError,
  backendChoices,
  selectBackend,
} from './backend.js';
export {
  type PresetName,
  patchCount,
  presets,
  resolveViTConfig,
  type ViTConfig,
  ViTConfigError,
} from './config.js';
export { vitFlops } from './flops.js';
export { createViT, VisionTransformer, ViTInputError, WeightsMismatchError } from './vision-transformer.js';
export {
  decodeWeights,
  encodeWeights,
  loadWeights,
  saveWeights,
  WEIGHTS_MAGIC,
  WeightsFormatError,
} from './weights-file.js';
