import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromBase64, toBase64 } from './base64.js';

describe('base64 of typed arrays', () => {
  afterEach(() => vi.unstubAllGlobals());
  const losses = Float32Array.from({ length: 70_000 }, (_, i) => (i % 7 === 0 ? Number.NaN : Math.sin(i)));
  const view = new Int16Array(losses.buffer, 8, 1000); // a view with an offset

  it('writes the same text with Node’s Buffer and without it (a browser), and each reads the other', () => {
    const withNode = [toBase64(losses), toBase64(view)];
    vi.stubGlobal('Buffer', undefined);
    const without = [toBase64(losses), toBase64(view)];
    expect(without).toEqual(withNode);
    expect(new Float32Array(fromBase64(withNode[0]!).buffer)).toEqual(losses);
    vi.unstubAllGlobals();
    expect(new Int16Array(fromBase64(without[1]!).buffer)).toEqual(view);
  });
});
