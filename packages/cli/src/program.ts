import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import { runCompare } from './compare-command.js';
import { compareConfigSchema, TUNE_DEFAULTS } from './compare-config.js';
import { UsageError } from './errors.js';
import { plotCommand } from './plot-command.js';
import { checkModeFlags } from './train-checks.js';
import { runTraining } from './train-command.js';
import { trainConfigSchema } from './train-config.js';
import { addTrainOptions, configFrom, integerList, numberList } from './train-options.js';

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

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

/**
 * Run a long command with Ctrl-C handled: the first interrupt asks the work to
 * stop cleanly (its signal aborts), a second one quits at once.
 */
async function untilInterrupted(
  io: CliIo,
  what: string,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    io.err(`interrupt: ${what} (Ctrl-C again to quit now)`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The `sundew` program. */
export function buildProgram(io: CliIo = defaultIo): Command {
  const program = new Command('sundew')
    .description('Adaptive Sparse Training for TensorFlow.js: train on the samples that matter.')
    .version(version)
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  const trainCmd = addTrainOptions(
    program
      .command('train')
      .description('train a ViT with AST (or full / sample-by-sample), write metrics.json and CSVs'),
  ).action(async (flags: Record<string, unknown>) => {
    const config = await configFrom(trainConfigSchema, flags);
    checkModeFlags(config);
    await untilInterrupted(io, 'finishing the current batch and saving a checkpoint', async (signal) => {
      const outcome = await runTraining(config, { out: io.out, err: io.err, signal });
      if (outcome.stopped === 'aborted') io.setExitCode(130);
    });
  });
  trainCmd.addHelpText(
    'after',
    '\nExamples:\n  sundew train --epochs 2 --out runs/ast                 # the default recipe on the bundled Fashion-MNIST subset\n' +
      '  sundew train --mode full --epochs 2 --out runs/full    # the full-training baseline\n' +
      "  sundew train --preset reference --out runs/reference   # the original script's recipe",
  );

  const compareCmd = addTrainOptions(
    program
      .command('compare')
      .description(
        'full training, AST and the random control from the same seed and weights, each stopped by the same budget',
      ),
    { compare: true },
  )
    .option(
      '--budget-seconds <list>',
      'training seconds per run, e.g. 10,30,90 (validation excluded)',
      numberList('--budget-seconds'),
    )
    .option(
      '--budget-samples <list>',
      'or sample passes per run (trained samples + 1/3 of forward-only scored ones), e.g. 24000,48000',
      integerList('--budget-samples'),
    )
    .option('--seeds <list>', 'seeds, e.g. 1,2,3 (default 1)', integerList('--seeds'))
    .option(
      '--methods <list>',
      'runs to make: full, full-tuned, ast, random (default full,ast,random)',
      (v: string) => v.split(','),
    )
    .option(
      '--tune-batch-sizes <list>',
      `full-tuned: batch sizes swept (default ${TUNE_DEFAULTS.batchSizes.join(',')})`,
      integerList('--tune-batch-sizes'),
    )
    .option(
      '--tune-lrs <list>',
      `full-tuned: peak learning rates swept (default ${TUNE_DEFAULTS.lrs.join(',')})`,
      numberList('--tune-lrs'),
    )
    .option('--format <list>', 'figures: svg, png or svg,png (default svg,png)')
    .option('--resume', 'keep the runs already finished in --out and continue an interrupted one')
    // Flags of `sundew train` that compare sets itself: named with what to use instead.
    .addOption(new Option('--mode <mode>').hideHelp())
    .addOption(new Option('--seed <n>').hideHelp())
    .action(async (flags: Record<string, unknown>) => {
      if (flags['mode'] !== undefined) {
        throw new UsageError(
          '--mode: compare makes its own runs (full training, AST, the random control); choose them with --methods, e.g. --methods full,ast',
        );
      }
      if (flags['seed'] !== undefined)
        throw new UsageError('--seed: compare takes a list; use --seeds, e.g. --seeds 1,2');
      const config = await configFrom(compareConfigSchema, flags);
      await untilInterrupted(io, 'finishing the current batch', async (signal) => {
        await runCompare(config, { out: io.out, err: io.err, signal });
      });
    });
  compareCmd.addHelpText(
    'after',
    '\nExample:\n  sundew compare --budget-seconds 10,30,90 --seeds 1,2 --out runs/compare',
  );

  program
    .command('plot')
    .description('draw the figures of a run (and runs to compare it with) as SVG and/or PNG')
    .requiredOption('--metrics <file>', 'metrics.json (or metrics.json.gz) of the run')
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
