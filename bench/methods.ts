// The methods the time-to-accuracy scripts compare (time-to-plateau.ts, fixed-schedule.ts):
// their trainer options, built the same way for both.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { recipeFor, selectionFor, trainConfigSchema } from '@sundew/cli';
import { createGate } from '@sundew/gate';
import { createScorer } from '@sundew/significance';
import type { TrainOptions } from '@sundew/trainer';
import writeFileAtomic from 'write-file-atomic';

export const METHODS = ['full', 'full-tuned', 'ast', 'random', 'infobatch'] as const;

/** The default recipe (`sundew train` with no flags). */
export const recipe = recipeFor(trainConfigSchema.parse({}));

/** A known method, and a rate only where it applies (before any data is loaded). */
export function checkMethod(method: string, rate: number | null): void {
  if (!(METHODS as readonly string[]).includes(method)) {
    throw new Error(`--method must be one of ${METHODS.join(', ')}; received ${method}`);
  }
  const sparse = method === 'ast' || method === 'random';
  if (rate !== null && !(sparse && rate > 0 && rate <= 1)) {
    throw new Error(`--target-rate is a rate in (0, 1] of ast or random; received ${rate} for ${method}`);
  }
}

/**
 * A method's trainer options: full training (and tuned full), AST (the default recipe), the
 * random control (the same recipe with random scores), both at `rate` instead of the recipe's
 * if given, and InfoBatch (Qin et al. 2024: raw stale losses, half of the below-mean samples
 * pruned at random, the kept ones weighed up, full-size buffered steps).
 */
export function methodOptions(
  method: string,
  o: { seed: number; datasetSize: number; rate: number | null },
): { opts: Partial<TrainOptions>; scorerName: string | null } {
  checkMethod(method, o.rate);
  if (method === 'ast' || method === 'random') {
    const scorerName = method === 'ast' ? recipe.scorer : 'random';
    const { scorer, gate } = selectionFor(recipe, {
      scorer: scorerName,
      seed: o.seed,
      datasetSize: o.datasetSize,
      ...(o.rate !== null ? { targetRate: o.rate } : {}),
    });
    return {
      opts: { mode: 'sparse', scorer, gate, selection: recipe.selection, reweight: recipe.reweight },
      scorerName,
    };
  }
  if (method === 'infobatch') {
    return {
      opts: {
        mode: 'sparse',
        scorer: createScorer('stale-loss', { datasetSize: o.datasetSize }),
        gate: createGate('infobatch', { seed: o.seed }),
        selection: 'buffered',
        reweight: 'infobatch',
      },
      scorerName: 'stale-loss',
    };
  }
  return { opts: { mode: 'full' }, scorerName: null };
}

/** CPU-seconds (user + system) of this process so far. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Training CPU-seconds of this process: `onBatchEnd` adds the time since the last mark, `skip`
 * (at an epoch end) moves the mark so the validation that follows is not counted.
 */
export function trainingClock(): { onBatchEnd: () => void; skip: () => void; readonly seconds: number } {
  let total = 0;
  let mark = cpuSeconds();
  return {
    onBatchEnd: () => {
      const now = cpuSeconds();
      total += now - mark;
      mark = now;
    },
    skip: () => {
      mark = cpuSeconds();
    },
    get seconds() {
      return total;
    },
  };
}

/** Write a study's summary.json (`rows`) and summary.md (`lines`) into `out`, and print the table. */
export async function writeSummary(out: string, rows: unknown[], lines: string[]): Promise<void> {
  await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify({ rows }, null, 1)}\n`);
  await writeFileAtomic(join(out, 'summary.md'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}

/** `--summary`: the summary of `out` (which must exist); otherwise one run. */
export async function runOrSummarize(out: string, runOne: () => Promise<void>, summary: () => Promise<void>) {
  if (!process.argv.includes('--summary')) return runOne();
  if (!existsSync(out)) throw new Error(`--out ${out}: no such folder; run the methods first`);
  return summary();
}
