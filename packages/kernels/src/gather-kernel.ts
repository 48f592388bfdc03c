import * as tf from '@tensorflow/tfjs-core';
import { kernelsOf, pointer, type WasmBackendLike } from './wasm-module.js';

/**
 * GatherV2 of float32 or int32 data by int32 indices as one block copy per
 * row: tfjs-backend-wasm 4.22's walks every element through strides (14 ms
 * for 3,200 rows of 64 floats). `model.fit` gathers every batch with it, and an
 * embedding's forward is one. Other dtypes (and empty tensors) go to
 * tfjs-backend-wasm's own kernel (`theirs`).
 */
export function gatherConfig(theirs: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: tf.GatherV2,
    backendName: 'wasm',
    ...(theirs?.setupFunc ? { setupFunc: theirs.setupFunc } : {}),
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
      const size = (t: tf.TensorInfo) => t.shape.reduce((a, b) => a * b, 1);
      const ours = (x.dtype === 'float32' || x.dtype === 'int32') && indices.dtype === 'int32';
      if (!ours || size(x) === 0 || size(indices) === 0) {
        if (!theirs)
          throw new Error(
            `GatherV2 (@sundew/kernels, wasm): ${x.dtype} data by ${indices.dtype} indices needs tfjs-backend-wasm's own kernel`,
          );
        return theirs.kernelFunc(args);
      }
      const b = args.backend as unknown as WasmBackendLike;
      const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
      const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x, indices, parsedAxis, batchDims);
      const out = b.makeOutput(info.outputShape, x.dtype);
      const n = size(indices) / info.batchSize;
      const bad = kernelsOf(b).gather_rows(
        pointer(b, x),
        pointer(b, indices),
        pointer(b, out),
        info.batchSize,
        info.outerSize,
        info.dimSize,
        info.sliceSize,
        n,
      );
      if (bad >= 0) {
        const index = (b.typedArrayFromHeap(indices) as unknown as Int32Array)[bad];
        b.disposeData(out.dataId);
        // tfjs's own message, so code that matches it keeps working.
        throw new Error(`GatherV2: the index value ${index} is not in [0, ${info.dimSize - 1}]`);
      }
      return out;
    },
  };
}
