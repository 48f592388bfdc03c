import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.js';
import { readConfigFile, resolveConfig } from './load-config.js';
import { plotCommand } from './plot-command.js';
import { runTraining } from './train-command.js';
import { backendNames, trainConfigSchema } from './train-config.js';

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const integer = (flag: string) => (value: string) => {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${flag} expects an integer.`);
  return Number(value);
};
const number = (flag: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} expects a number.`);
  return n;
};

/** Errors the user can fix, reported as one line with exit code 2 (anything else is a bug: exit 1). */
const USER_ERRORS = new Set([
  'UsageError',
  'DatasetError',
  'GateConfigError',
  'ScorerConfigError',
  'TrainerConfigError',
  'ViTConfigError',
  'MetricsFormatError',
  'MetricsWriteError',
  'BackendUnavailableError',
  'CheckpointError',
  'NonFiniteLossError',
  'WeightsMismatchError',
  'WeightsFormatError',
  'ViTInputError',
]);

/** Streams and process hooks, injectable for tests. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Exit code to use; the default sets process.exitCode. */
  setExitCode: (code: number) => void;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** The `sundew` program. */
export function buildProgram(io: CliIo = defaultIo): Command {
  const program = new Command('sundew')
    .description('Adaptive Sparse Training for TensorFlow.js: train on the samples that matter.')
    .version(version)
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  const trainCmd = program
    .command('train')
    .description('train a ViT with AST (or full / sample-by-sample), write metrics.json and CSVs')
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
    .addOption(
      new Option('--mode <mode>', 'sparse (AST, default), full or sample').choices([
        'sparse',
        'full',
        'sample',
      ]),
    )
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
    .option('--epochs <n>', 'epochs (default 2)', integer('--epochs'))
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
    .option('--seed <n>', 'seed of every random choice (default 0)', integer('--seed'))
    .option('--limit-train <n>', 'use N training images (class-balanced)', integer('--limit-train'))
    .option('--limit-test <n>', 'use N test images (class-balanced)', integer('--limit-test'))
    .addOption(new Option('--backend <name>', 'tfjs backend (default auto)').choices([...backendNames]))
    .option('--threads <n>', 'WASM threads for matmuls (default 1)', integer('--threads'))
    .option('--out <dir>', 'output folder (default runs/latest)')
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
    )
    .action(async (flags: Record<string, unknown>) => {
      const { config: configPath, ...rest } = flags;
      const fromFile = typeof configPath === 'string' ? await readConfigFile(configPath) : {};
      const config = resolveConfig(
        trainConfigSchema,
        fromFile,
        rest,
        typeof configPath === 'string' ? configPath : undefined,
      );
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        io.err('interrupt: finishing the current batch and saving a checkpoint (Ctrl-C again to quit now)');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const outcome = await runTraining(config, { out: io.out, err: io.err, signal: controller.signal });
        if (outcome.stopped === 'aborted') io.setExitCode(130);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
  trainCmd.addHelpText(
    'after',
    '\nExample:\n  sundew train --dataset fashion-mnist --model tiny --epochs 2 --target-rate 0.1 --out runs/ast',
  );

  program
    .command('plot')
    .description('draw the figures of a run (and runs to compare it with) as SVG and/or PNG')
    .requiredOption('--metrics <file>', 'metrics.json of the run')
    .option(
      '--compare <file...>',
      'metrics.json of other runs to overlay (full training, random control, …)',
      [],
    )
    .option(
      '--baseline <file...>',
      'metrics.json of runs timed only for the speed bars (e.g. --mode sample)',
      [],
    )
    .option('--out <dir>', 'output folder', 'figures')
    .option('--format <list>', 'svg, png or svg,png', 'svg,png')
    .action(
      async (options: {
        metrics: string;
        compare: string[];
        baseline: string[];
        out: string;
        format: string;
      }) => {
        await plotCommand(options, io.out);
      },
    );

  return program;
}

/** Run the CLI on `argv` (process.argv form); resolves when done, never throws. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<void> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const e = error as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) {
      // Commander already printed its one-line message (or help / version): those exit 0, usage errors 2.
      io.setExitCode(e.exitCode === 0 ? 0 : 2);
      return;
    }
    if (USER_ERRORS.has(e.name)) {
      io.err(`sundew: ${e.message}`);
      io.setExitCode(2);
      return;
    }
    io.err(`sundew: unexpected error: ${e.stack ?? e.message}`);
    io.setExitCode(1);
  }
}

export { UsageError };
