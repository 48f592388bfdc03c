// Typed arrays in checkpoint states, as base64. Node's Buffer where there is
// one (40× faster on a 60,000-sample cache), btoa/atob in a browser: the
// same text either way, so a state written in one reads in the other.

interface NodeBuffer {
  from(data: ArrayBuffer, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
const nodeBuffer = (): NodeBuffer | undefined => (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** The bytes a typed array views, as base64. */
export function toBase64(view: ArrayBufferView): string {
  const node = nodeBuffer();
  if (node) return node.from(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength).toString('base64');
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** base64 decoded into a fresh, aligned buffer (any typed array can view it). */
export function fromBase64(text: string): Uint8Array {
  const node = nodeBuffer();
  if (node) return Uint8Array.from(node.from(text, 'base64'));
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
