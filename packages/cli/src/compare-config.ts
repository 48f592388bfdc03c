import { z } from 'zod';
import { trainConfigSchema } from './train-config.js';

/** The runs `sundew compare` can make. */
export const compareMethods = ['full', 'ast', 'random'] as const;
export type CompareMethod = (typeof compareMethods)[number];

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
    seed: true,
    sampleBatches: true,
    scorer: true,
  })
  .extend({
    /** Training seconds each run gets (validation excluded); one set of runs per budget. */
    budgetSeconds: z.array(positive.max(1e6)).min(1),
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
    methods: z
      .array(z.enum(compareMethods))
      .min(1)
      .default([...compareMethods]),
    /** The scorer of the AST run (default: the preset's); the random control always scores at random. */
    scorer: trainConfigSchema.shape.scorer,
    /** An upper bound on epochs; the budget normally stops first. */
    epochs: z.number().int().min(1).max(1e6).default(100_000),
    out: z.string().min(1).default('runs/compare'),
    format: z.string().default('svg,png'),
    /** Keep the runs already finished in `out` (same settings) and continue an interrupted one from its checkpoint. */
    resume: z.boolean().default(false),
  });

/** A validated `sundew compare` configuration. */
export type CompareConfig = z.output<typeof compareConfigSchema>;
