import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setKernelModules } from './wasm-module.js';
import { wasmApi } from './webassembly.js';

describe('setKernelModules', () => {
  it('takes compiled modules (what a browser fetches and compiles)', () => {
    const bytes = readFileSync(new URL('../assets/sundew-kernels.wasm', import.meta.url));
    expect(() => setKernelModules({ single: new wasmApi.Module(bytes) })).not.toThrow();
  });

  it('names what was wrong: bytes instead of a module, or an unknown build', () => {
    expect(() => setKernelModules({ single: new Uint8Array(4) })).toThrow(
      /expected \{ single\?, shared\? \} of WebAssembly.Module; received single/,
    );
    expect(() => setKernelModules({ threaded: {} } as never)).toThrow(/received threaded/);
  });
});
