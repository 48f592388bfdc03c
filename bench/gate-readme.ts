// Writes the gate README's tracking tables from bench/results/gate-tracking/gate-tracking.json
// (between the <!-- gate-tracking:start --> and <!-- gate-tracking:end --> markers).
// Run: npx tsx bench/gate-readme.ts [--check]   (--check: exit 1 if the README is not up to date)
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TrackingRow } from './gate-tracking.js';

const START = '<!-- gate-tracking:start -->';
const END = '<!-- gate-tracking:end -->';

/** The tables, from the bench's rows. */
export function renderTrackingSection(data: { measured: string; rows: TrackingRow[] }): string {
  const { rows } = data;
  const targets = [...new Set(rows.map((r) => r.target))].sort((a, b) => a - b);
  const cell = (r: TrackingRow | undefined) =>
    r === undefined
      ? 'not measured'
      : `${r.pass ? '✓' : '✗'} ${(100 * r.worstWindow).toFixed(1)} pt · ${r.sdOverBinomial.toFixed(2)}×`;
  const table = (gate: string) => {
    const streams = [
      ...new Set(rows.filter((r) => r.gate === gate).map((r) => `${r.source}\u0000${r.stream}`)),
    ];
    return [
      `| stream | ${targets.map((t) => `${100 * t} %`).join(' | ')} |`,
      `|---|${targets.map(() => '---').join('|')}|`,
      ...streams.map((key) => {
        const [source, stream] = key.split('\u0000') as [string, string];
        const label = source === 'real' ? `real: ${stream}` : stream;
        return `| ${label} | ${targets.map((t) => cell(rows.find((r) => r.gate === gate && r.source === source && r.stream === stream && r.target === t))).join(' | ')} |`;
      }),
    ];
  };
  const gates = [...new Set(rows.map((r) => r.gate))];
  const summary = gates.map((g) => {
    const mine = rows.filter((r) => r.gate === g);
    const real = mine.filter((r) => r.source === 'real');
    const synthetic = mine.filter((r) => r.source === 'synthetic');
    const worst = mine.reduce((w, r) => (r.worstOverTolerance > w.worstOverTolerance ? r : w));
    const pass = (xs: TrackingRow[]) =>
      xs.length ? `${xs.filter((r) => r.pass).length} / ${xs.length}` : 'not measured';
    return `| \`${g}\` | ${pass(real)} | ${pass(synthetic)} | ${worst.worstOverTolerance.toFixed(2)}× (${worst.source === 'real' ? 'real: ' : ''}${worst.stream}, ${100 * worst.target} %) | ${Math.max(...mine.map((r) => r.sdOverBinomial)).toFixed(2)}× |`;
  });
  return [
    `Measured by \`npx tsx bench/gate-tracking.ts --jobs 2\` on ${data.measured.slice(0, 10)}; every cell after batch 50: the worst 20-batch window's distance from the target (points) · the per-batch sd of the rate over the binomial floor sqrt(r(1 − r)/B). ✓: within ±10 % relative or ±1 point (whichever is larger) and sd ≤ 1.5×. Real streams: the tiny ViT on the bundled Fashion-MNIST, 3 epochs (141 batches), lr 2e-3, seed 1, the gate in the loop; synthetic streams: 400 batches of 128, worst of 3 seeds.`,
    '',
    'Pass counts per gate (`before`: the default gate before quantile space, bit for bit — raw scores, one draw per sample, store sized for the target):',
    '',
    '| gate | real streams | synthetic streams | worst window / tolerance | worst sd / binomial |',
    '|---|---|---|---|---|',
    ...summary,
    '',
    '`sundew` (the default), every stream × target:',
    '',
    ...table('sundew'),
    ...(gates.includes('before') ? ['', '`before`, the same cells:', '', ...table('before')] : []),
  ].join('\n');
}

const readme = fileURLToPath(new URL('../packages/gate/README.md', import.meta.url));

function main(): void {
  const data = JSON.parse(
    readFileSync(new URL('./results/gate-tracking/gate-tracking.json', import.meta.url), 'utf8'),
  ) as { measured: string; rows: TrackingRow[] };
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${readme}: the ${START} … ${END} markers are missing`);
  const next = `${text.slice(0, a + START.length)}\n${renderTrackingSection(data)}\n${text.slice(b)}`;
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error(`${readme} is not up to date with the gate bench: run npx tsx bench/gate-readme.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(`${readme}.tmp`, next);
  renameSync(`${readme}.tmp`, readme);
  console.error(`wrote the tracking tables into ${readme}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
