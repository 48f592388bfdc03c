import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

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

const STUB = '\0sundew-node-stub:';

/**
 * The dev server serves our packages' dist unbundled, so their Node-only
 * modules (file IO, the Node threaded backend; never called by the page) are
 * loaded too, and a page cannot import Node builtins. In dev each builtin, and
 * write-file-atomic, becomes a module of the same export names whose functions
 * throw when called (`createRequire` hands back such a function). The build
 * needs none of this: tree-shaking drops those modules.
 */
function nodeStubsInDev(): Plugin {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  return {
    name: 'sundew-node-stubs-in-dev',
    apply: 'serve',
    enforce: 'pre',
    resolveId(id) {
      if (builtins.has(id) || id === 'write-file-atomic') return STUB + id;
      return null;
    },
    async load(id) {
      if (!id.startsWith(STUB)) return null;
      const name = id.slice(STUB.length);
      const real = name === 'write-file-atomic' ? {} : ((await import(name)) as Record<string, unknown>);
      const fail = `(what) => () => { throw new Error(\`\${what}: a Node API, not available in the page\`); }`;
      const keys = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      return [
        `const fail = ${fail};`,
        ...keys.map((k) =>
          k === 'createRequire'
            ? `export const createRequire = () => fail('${name} require');`
            : `export const ${k} = fail('${name}.${k}');`,
        ),
        `export default fail('${name}');`,
      ].join('\n');
    },
  };
}

export default defineConfig({
  plugins: [nodeStubsInDev()],
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
