import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** WASM threads need SharedArrayBuffer, which needs a cross-origin isolated page. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// tfjs-backend-wasm hands its threaded factory to each pthread as the
// function's source text (`toString()`), outside the closure it was written
// in: compressing folds away the factory's `typeof _scriptDir` guards, and the
// pthreads then fail on the missing name. Whitespace and names are still minified.
const minify = { compress: false, mangle: true } as const;

export default defineConfig({
  base: './',
  resolve: {
    // @sundew/vit imports @tensorflow/tfjs for its gradients only: tfjs-core's suffice in the page.
    alias: [
      {
        find: /^@tensorflow\/tfjs$/,
        replacement: fileURLToPath(new URL('./src/run/tfjs-gradients.ts', import.meta.url)),
      },
    ],
  },
  worker: { format: 'es', rolldownOptions: { output: { minify } } },
  build: {
    target: 'es2022',
    // Every .wasm and data file stays a file of its own (none inlined as base64).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4000,
    minify: false,
    rolldownOptions: { output: { minify } },
  },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
