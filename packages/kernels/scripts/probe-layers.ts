// Which tf.layers train on tfjs-backend-wasm, without and with @sundew/kernels'
// gradient kernels: prints the Markdown table of the kernels README.
//   npx tsx packages/kernels/scripts/probe-layers.ts
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { failureOf, type ProbeResult, probeLayers } from '../src/layer-probe.js';
import { registerSundewKernels } from '../src/wasm-kernels.js';

const require = createRequire(import.meta.url);
setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
tf.env().set('PROD', true);

const err = (r: ProbeResult) => (r.gradError ?? 0).toExponential(0);
// Relative to the largest cpu gradient; float32 reassociation stays below 1e-6.
const cell = (r: ProbeResult) =>
  !r.trains
    ? failureOf(r)
    : (r.gradError ?? 0) > 1e-4
      ? `**wrong gradient** (err ${err(r)})`
      : `trains (err ${err(r)})`;
const before = await probeLayers('wasm');
registerSundewKernels();
const after = await probeLayers('wasm');
console.log('| layer | tfjs-backend-wasm 4.22 | + `registerSundewKernels()` |');
console.log('|---|---|---|');
before.forEach((b, i) => console.log(`| ${b.layer} | ${cell(b)} | ${cell(after[i]!)} |`));
