import type { RunMetrics } from '@sundew/types';
import type { Theme } from './theme.js';

/** What a run is in a comparison: AST, full training, the random-selection control, sample-by-sample, or another run. */
export type RunRole = 'ast' | 'full' | 'random' | 'sample' | 'other';

/** The role of a run, from its mode and scorer (a sparse run with random scores is the control). */
export function roleOf(metrics: RunMetrics): RunRole {
  if (metrics.run.mode === 'full') return 'full';
  if (metrics.run.mode === 'sample') return 'sample';
  const scorer = metrics.run.config['scorer'];
  if (scorer === 'random' || /random/i.test(metrics.run.label)) return 'random';
  return 'ast';
}

/** Words for a role, as legends and banners use them. */
export const ROLE_NAMES: Record<RunRole, string> = {
  ast: 'AST',
  full: 'full training',
  random: 'random control',
  sample: 'sample-by-sample',
  other: 'run',
};

/** The colour and dash of a role (full dashed, so it reads in grey print too). */
export function styleOf(role: RunRole, theme: Theme, index = 0): { color: string; dash?: string } {
  if (role === 'full') return { color: theme.full, dash: '8 4' };
  if (role === 'ast') return { color: theme.ast };
  if (role === 'random') return { color: theme.target, dash: '2 3' };
  if (role === 'sample') return { color: theme.sample };
  return { color: theme.series[(index + 3) % theme.series.length]! };
}

/**
 * A run's name in a figure: its role, plus the label when the label says
 * more than the role ("AST", not "AST (ast)"; "AST — lr 3e-3").
 */
export function nameOf(metrics: RunMetrics): string {
  const role = roleOf(metrics);
  const label = metrics.run.label.trim();
  const plain = new Set([role, ROLE_NAMES[role], metrics.run.mode, 'sparse', 'ast', 'full', 'random', '']);
  return plain.has(label.toLowerCase()) ? ROLE_NAMES[role] : `${ROLE_NAMES[role]} — ${label}`;
}

/** Known image datasets: input shape (NHWC, as tfjs lays images out) and class count. */
const DATASETS: Record<string, { shape: [number, number, number]; classes: number }> = {
  'fashion-mnist': { shape: [28, 28, 1], classes: 10 },
  mnist: { shape: [28, 28, 1], classes: 10 },
  cifar10: { shape: [32, 32, 3], classes: 10 },
};

/** The run's dataset, when its name is a known one (`fashion-mnist-subset/train` is Fashion-MNIST). */
export function datasetOf(metrics: RunMetrics): { shape: [number, number, number]; classes: number } | null {
  const name = String(metrics.run.config['dataset'] ?? '').toLowerCase();
  const key = Object.keys(DATASETS)
    .sort((a, b) => b.length - a.length)
    .find((k) => name.startsWith(k));
  return key ? DATASETS[key]! : null;
}
