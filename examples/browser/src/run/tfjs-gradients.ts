// The page's stand-in for `@tensorflow/tfjs` (vite.config.ts aliases it):
// @sundew/vit imports tfjs only for its gradients, which tfjs-core registers
// alone, so the bundle skips tfjs-layers, -converter and the other backends.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
