import { type Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import { CHOICES, TRAIN_DEFAULTS as D, DEFAULT_TEXT as T } from './defaults.js';
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
      new Option(
        '--preset <name>',
        `recipe: default (Sundew) or reference (the original script) (default ${D.preset})`,
      ).choices(['default', 'reference']),
    )
    .addOption(
      new Option('--dataset <name>', `dataset (default ${D.dataset})`).choices([
        'fashion-mnist',
        'cifar10',
        'synthetic',
      ]),
    )
    .option('--data-dir <dir>', 'dataset folder (default: the bundled Fashion-MNIST subset)')
    .addOption(
      new Option('--model <preset>', `ViT preset (default ${D.model})`).choices(['tiny', 'reference']),
    )
    .option('--scorer <name>', `significance scorer: ${CHOICES.scorer.join(', ')} (default ${T.scorer})`)
    .option('--gate <name>', `gate: ${CHOICES.gate.join(', ')} (default ${T.gate})`)
    .option(
      '--target-rate <r>',
      `target activation rate in (0, 1] (default ${T.targetRate})`,
      number('--target-rate'),
    )
    .addOption(
      new Option(
        '--selection <how>',
        `per-batch: a step per batch on its active samples; buffered: full-size steps (default ${T.selection})`,
      ).choices(['per-batch', 'buffered']),
    )
    .addOption(
      new Option(
        '--reweight <how>',
        `none, or infobatch: up-weight kept low-score samples (default ${T.reweight})`,
      ).choices(['none', 'infobatch']),
    )
    .option('--batch-size <n>', `batch size (default ${D.batchSize})`, integer('--batch-size'))
    .option(
      '--micro-batch-size <n>',
      `largest forward/backward batch, gradients accumulated (default ${T.microBatchSize})`,
      integer('--micro-batch-size'),
    )
    .option('--lr <x>', `peak learning rate (default ${T.lr})`, number('--lr'))
    .option('--weight-decay <x>', `AdamW weight decay (default ${D.weightDecay})`, number('--weight-decay'))
    .option(
      '--warmup-epochs <n>',
      `full-training epochs before AST starts (default ${T.warmupEpochs})`,
      integer('--warmup-epochs'),
    )
    .option('--clip-norm <x>', `global gradient-norm clip (default ${T.clipNorm})`, number('--clip-norm'))
    .option('--limit-train <n>', 'use N training images (class-balanced)', integer('--limit-train'))
    .option(
      '--label-noise <p>',
      'regime: flip this share of training labels to another class, in [0, 0.9] (test set clean)',
      number('--label-noise'),
    )
    .option(
      '--imbalance <r>',
      'regime: long-tailed training set, first class all, last 1/r of its images (r ≥ 1)',
      number('--imbalance'),
    )
    .option(
      '--duplicates <k>',
      'regime: n/k training images, each k times (copies shifted by up to a pixel)',
      integer('--duplicates'),
    )
    .option('--limit-test <n>', 'use N test images (class-balanced)', integer('--limit-test'))
    .addOption(
      new Option('--backend <name>', `tfjs backend (default ${D.backend})`).choices([...backendNames]),
    )
    .option('--threads <n>', `WASM threads for matmuls (default ${D.threads})`, integer('--threads'))
    .addOption(
      new Option(
        '--on-non-finite <what>',
        `stop or skip a batch with a NaN/Inf loss (default ${D.onNonFinite})`,
      ).choices(['stop', 'skip']),
    )
    .addOption(
      new Option(
        '--progress <kind>',
        `auto (bar on a terminal), bar, lines or none (default ${D.progress})`,
      ).choices(['auto', 'bar', 'lines', 'none']),
    );
  if (options.compare) return cmd.option('--out <dir>', 'output folder (default runs/compare)');
  return cmd
    .addOption(
      new Option('--mode <mode>', `sparse (AST), full or sample (default ${D.mode})`).choices([
        'sparse',
        'full',
        'sample',
      ]),
    )
    .option('--epochs <n>', `epochs (default ${D.epochs})`, integer('--epochs'))
    .option('--seed <n>', `seed of every random choice (default ${D.seed})`, integer('--seed'))
    .option('--label <name>', 'run label in the metrics and figures')
    .option('--resume', 'continue from <out>/checkpoint.bin')
    .option(
      '--budget-seconds <s>',
      'stop after this many training seconds, then validate',
      number('--budget-seconds'),
    )
    .option(
      '--budget-samples <n>',
      'stop after this many sample passes (trained samples + 1/3 of forward-only scored ones), then validate',
      integer('--budget-samples'),
    )
    .option(
      '--sample-batches <n>',
      `sample mode: batches per epoch to time (default ${D.sampleBatches})`,
      integer('--sample-batches'),
    )
    .option('--checkpoint-every <n>', 'also checkpoint every N batches', integer('--checkpoint-every'))
    .option('--out <dir>', `output folder (default ${D.out})`);
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
