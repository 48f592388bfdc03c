// Figures the test and the measure script take from a page run, the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RunMetrics } from '@sundew/types';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
};

export const byLabel = (runs: RunMetrics[], label: string): RunMetrics => {
  const m = runs.find((r) => r.run.label === label);
  if (!m) throw new Error(`no ${label} run among ${runs.map((r) => r.run.label).join(', ')}`);
  return m;
};

/** Step seconds of a run's batches, each epoch's first batch left out (warm-up; after validation). */
export const stepSeconds = (m: RunMetrics): number[] =>
  m.batches.filter((b) => b.batch > 0).map((b) => b.stepSeconds);

/** Frames per second from requestAnimationFrame gaps (ms). */
export const framesPerSecond = (gaps: number[]): number =>
  (1000 * gaps.length) / gaps.reduce((a, b) => a + b, 0);

/** The built files a page load fetched, gzip-compressed (level 9; the .gz data files as they are). */
export function loadSizes(dist: string, origin: string, urls: string[]) {
  const files = [...new Set(urls)]
    .filter((u) => u.startsWith(origin))
    .map((u) => new URL(u).pathname)
    .map((p) => (p.endsWith('/') ? `${p}index.html` : p))
    .map((p) => {
      const bytes = readFileSync(join(dist, p));
      return {
        path: p,
        raw: bytes.length,
        gzip: p.endsWith('.gz') ? bytes.length : gzipSync(bytes, { level: 9 }).length,
      };
    });
  const code = files.filter((f) => /\.(js|wasm|html|css)$/.test(f.path));
  const data = files.filter((f) => f.path.endsWith('.gz'));
  const sum = (xs: { gzip: number }[]) => xs.reduce((n, f) => n + f.gzip, 0);
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  return {
    code,
    codeGzip: sum(code),
    dataBytes: sum(data),
    line:
      `page load: JS + WASM + HTML + CSS ${kib(sum(code))} gzip-compressed (` +
      code
        .map((f) => `${f.path.replace(/^\/(assets\/)?/, '').replace(/-[\w-]{8}\./, '.')} ${kib(f.gzip)}`)
        .join(', ') +
      `); bundled data ${kib(sum(data))} (already gzip)`,
  };
}
