import { z } from 'zod';
import { trainConfigSchema } from './train-config.js';

/** The runs `sundew compare` can make. `full-tuned`: the best of a batch-size × learning-rate sweep of full training. */
export const compareMethods = ['full', 'full-tuned', 'ast', 'random'] as const;
export type CompareMethod = (typeof compareMethods)[number];

/** The sweep of `full-tuned` when not told: batch sizes × peak learning rates. */
export const TUNE_DEFAULTS = { batchSizes: [32, 128], lrs: [1e-3, 2e-3, 4e-3] } as const;

const positive = z.number().gt(0);

/**
 * `sundew compare`: the train options that make sense for every run, plus the
 * budgets, seeds and methods. Each (budget, seed) pair trains every method from
 * the same initial weights and data order, each stopped by the same budget.
 */
export const compareConfigSchema = trainConfigSchema
  .omit({
    mode: true,
    label: true,
    resume: true,
    budgetSeconds: true,
    budgetSamples: true,
    seed: true,
    sampleBatches: true,
    scorer: true,
  })
  .extend({
    /** Training seconds each run gets (validation excluded); one set of runs per budget. */
    budgetSeconds: z.array(positive.max(1e6)).min(1).optional(),
    /** Or sample passes each run gets (trained samples + ⅓ of forward-only scored ones): no machine drift. */
    budgetSamples: z.array(z.number().int().min(1).max(1e12)).min(1).optional(),
    seeds: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .default([1]),
    methods: z.array(z.enum(compareMethods)).min(1).default(['full', 'ast', 'random']),
    /** `full-tuned`: the batch sizes and learning rates swept (on the first seed; the best then runs on every seed). */
    tuneBatchSizes: z
      .array(z.number().int().min(1).max(65_536))
      .min(1)
      .default([...TUNE_DEFAULTS.batchSizes]),
    tuneLrs: z
      .array(z.number().gt(0).max(10))
      .min(1)
      .default([...TUNE_DEFAULTS.lrs]),
    /** The scorer of the AST run (default: the preset's); the random control always scores at random. */
    scorer: trainConfigSchema.shape.scorer,
    /** An upper bound on epochs; the budget normally stops first. */
    epochs: z.number().int().min(1).max(1e6).default(100_000),
    out: z.string().min(1).default('runs/compare'),
    format: z.string().default('svg,png'),
    /** Keep the runs already finished in `out` (same settings) and continue an interrupted one from its checkpoint. */
    resume: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if ((c.budgetSeconds === undefined) === (c.budgetSamples === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgetSeconds'],
        message:
          c.budgetSeconds === undefined
            ? 'compare needs a budget: --budget-seconds (e.g. 10,30,90) or --budget-samples (e.g. 24000,48000)'
            : '--budget-seconds and --budget-samples are two budgets for one comparison: keep one',
      });
    }
  });

/** A validated `sundew compare` configuration. */
export type CompareConfig = z.output<typeof compareConfigSchema>;
