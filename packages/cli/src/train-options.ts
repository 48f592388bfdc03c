import { type Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import { readConfigFile, resolveConfig } from './load-config.js';
import { backendNames } from './train-config.js';

/** An integer flag value (commander parser). */
export const integer = (flag: string) => (value: string) => {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${flag} expects an integer.`);
  return Number(value);
};

/** A number flag value (commander parser). */
export const number = (flag: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} expects a number.`);
  return n;
};

/** A comma-separated list of numbers, e.g. `10,30,90`. */
export const numberList = (flag: string) => (value: string) => {
  const parse = number(flag);
  try {
    return value.split(',').map((v) => parse(v));
  } catch {
    throw new InvalidArgumentError(`${flag} expects comma-separated numbers, e.g. 10,30,90.`);
  }
};

/** A comma-separated list of integers, e.g. `1,2`. */
export const integerList = (flag: string) => (value: string) => {
  const parse = integer(flag);
  try {
    return value.split(',').map((v) => parse(v));
  } catch {
    throw new InvalidArgumentError(`${flag} expects comma-separated integers, e.g. 1,2.`);
  }
};

/**
 * The options of `sundew train`; `compare` takes the ones that make sense for
 * every run of a comparison (no mode, seed, label, resume or single budget).
 */
export function addTrainOptions(cmd: Command, options: { compare?: boolean } = {}): Command {
  cmd = cmd
    .option('--config <file>', 'JSON file of options (camelCase keys); flags override it')
    .addOption(
      new Option('--preset <name>', 'recipe: default (Sundew) or reference (the original script)').choices([
        'default',
        'reference',
      ]),
    )
    .addOption(
      new Option('--dataset <name>', 'dataset (default fashion-mnist)').choices([
        'fashion-mnist',
        'cifar10',
        'synthetic',
      ]),
    )
    .option('--data-dir <dir>', 'dataset folder (default: the bundled Fashion-MNIST subset)')
    .addOption(new Option('--model <preset>', 'ViT preset (default tiny)').choices(['tiny', 'reference']))
    .option('--scorer <name>', 'significance scorer (batch-relative, loss-entropy, stale-loss, random, …)')
    .option(
      '--gate <name>',
      'gate (sundew, sundew-reference, sundew-script, sundew-library, top-k, always-on)',
    )
    .option('--target-rate <r>', 'target activation rate in (0, 1] (default 0.1)', number('--target-rate'))
    .addOption(
      new Option(
        '--selection <how>',
        'per-batch: a step per batch on its active samples; buffered: full-size steps',
      ).choices(['per-batch', 'buffered']),
    )
    .addOption(
      new Option('--reweight <how>', 'none, or infobatch: up-weight kept low-score samples').choices([
        'none',
        'infobatch',
      ]),
    )
    .option('--batch-size <n>', 'batch size (default 128)', integer('--batch-size'))
    .option(
      '--micro-batch-size <n>',
      'largest forward/backward batch (gradients accumulated)',
      integer('--micro-batch-size'),
    )
    .option('--lr <x>', 'peak learning rate (default: 1e-3 tiny, 1e-4 reference)', number('--lr'))
    .option('--weight-decay <x>', 'AdamW weight decay (default 0.01)', number('--weight-decay'))
    .option('--warmup-epochs <n>', 'full-training epochs before AST starts', integer('--warmup-epochs'))
    .option('--clip-norm <x>', 'global gradient-norm clip (default 1.0)', number('--clip-norm'))
    .option('--limit-train <n>', 'use N training images (class-balanced)', integer('--limit-train'))
    .option('--limit-test <n>', 'use N test images (class-balanced)', integer('--limit-test'))
    .addOption(new Option('--backend <name>', 'tfjs backend (default auto)').choices([...backendNames]))
    .option('--threads <n>', 'WASM threads for matmuls (default 1)', integer('--threads'))
    .addOption(
      new Option('--on-non-finite <what>', 'stop (default) or skip a batch with a NaN/Inf loss').choices([
        'stop',
        'skip',
      ]),
    )
    .addOption(
      new Option('--progress <kind>', 'auto (bar on a terminal), bar, lines or none').choices([
        'auto',
        'bar',
        'lines',
        'none',
      ]),
    );
  if (options.compare) return cmd.option('--out <dir>', 'output folder (default runs/compare)');
  return cmd
    .addOption(
      new Option('--mode <mode>', 'sparse (AST, default), full or sample').choices([
        'sparse',
        'full',
        'sample',
      ]),
    )
    .option('--epochs <n>', 'epochs (default 2)', integer('--epochs'))
    .option('--seed <n>', 'seed of every random choice (default 0)', integer('--seed'))
    .option('--label <name>', 'run label in the metrics and figures')
    .option('--resume', 'continue from <out>/checkpoint.bin')
    .option(
      '--budget-seconds <s>',
      'stop after this many training seconds, then validate',
      number('--budget-seconds'),
    )
    .option(
      '--sample-batches <n>',
      'sample mode: batches per epoch to time (default 5)',
      integer('--sample-batches'),
    )
    .option('--checkpoint-every <n>', 'also checkpoint every N batches', integer('--checkpoint-every'))
    .option('--out <dir>', 'output folder (default runs/latest)');
}

/** Flags (and an optional --config file under them) validated by one schema. */
export async function configFrom<S extends z.ZodType>(
  schema: S,
  flags: Record<string, unknown>,
): Promise<z.output<S>> {
  const { config: configPath, ...rest } = flags;
  const fromFile = typeof configPath === 'string' ? await readConfigFile(configPath) : {};
  return resolveConfig(schema, fromFile, rest, typeof configPath === 'string' ? configPath : undefined);
}
