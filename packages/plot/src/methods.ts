import type { Theme } from './theme.js';

/** How the compared methods are named in legends (any other name is shown as it is). */
export const METHOD_LABELS: Record<string, string> = {
  full: 'full training',
  'full-tuned': 'full training, tuned',
  ast: 'AST',
  random: 'random control',
  infobatch: 'InfoBatch',
};

/** Full training dashed, tuned full training dotted, the others solid (lines and legend alike). */
export const dashOf = (method: string): { dash?: string } =>
  method === 'full' ? { dash: '8 4' } : method === 'full-tuned' ? { dash: '2 3' } : {};

/** Full training (tuned or not) in its colour, AST, random and InfoBatch in theirs, any other method from the series. */
export function methodColor(theme: Theme, method: string, i: number): string {
  if (method === 'full' || method === 'full-tuned') return theme.full;
  if (method === 'ast') return theme.ast;
  if (method === 'random') return theme.target;
  if (method === 'infobatch') return theme.series[3]!;
  return theme.series[i % theme.series.length]!;
}
