/**
 * Packaging check: every package packed (`npm pack`), installed alone into an
 * empty project with only its declared dependencies (our own packages from
 * their tarballs, the rest from the npm cache), type-checked with
 * `skipLibCheck: false`, and its README example run.
 *
 *   npx tsx scripts/packaging/install-alone.ts            # all ten packages
 *   npx tsx scripts/packaging/install-alone.ts gate metrics
 *
 * `npm test` runs the light packages (types, gate, metrics, significance:
 * `install-alone.test.ts`); the others pull TensorFlow.js, so this script
 * checks them on demand. Packages must be built first (`npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const packageDirs = readdirSync(join(root, 'packages')).filter((d) =>
  existsSync(join(root, 'packages', d, 'package.json')),
);
/** Packages with no tfjs in their dependencies: fast enough to install in every `npm test`. */
export const lightPackages = ['types', 'gate', 'metrics', 'significance'];

/**
 * The program run for a package: the first `ts` block of its README when that
 * block runs as written, else an import and a call of its README's entry point.
 */
const smoke: Record<string, string> = {
  data: `import { loadFashionMnist } from '@sundew/data';
const train = await loadFashionMnist({ split: 'train', source: 'bundled' });
console.log(train.name, train.count, train.shape.join('x'));`,
  kernels: `import { KernelNames, kernelsActive, registerSundewKernels } from '@sundew/kernels';
registerSundewKernels();
console.log(Object.keys(KernelNames).length, kernelsActive());`,
  vit: `import { createViT, selectBackend } from '@sundew/vit';
console.log((await selectBackend('auto')).name);
const model = createViT('tiny');
console.log(model.parameterCount(), model.flops(128).forward);`,
  trainer: `import { learningRateAt, train } from '@sundew/trainer';
console.log(typeof train, learningRateAt(0.5, { lr: 1e-3 }));`,
  plot: `import { defaultTheme, rollingMean } from '@sundew/plot';
console.log(rollingMean([1, 2, 3, 4], 2), typeof defaultTheme);`,
  cli: `import { buildProgram } from '@sundew/cli';
console.log(buildProgram().commands.map((c) => c.name()).join(','));`,
};

/** The program of a package (README block or smoke code). */
export function exampleOf(dir: string): string {
  if (smoke[dir]) return smoke[dir];
  const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error(`packages/${dir}/README.md has no \`\`\`ts example`);
  return block[1]!;
}

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
  };

/** Our packages a package needs, transitively (directory names). */
export function internalDeps(dir: string, seen = new Set<string>()): Set<string> {
  for (const name of Object.keys(manifestOf(dir).dependencies ?? {})) {
    if (!name.startsWith('@sundew/')) continue;
    const d = name.slice('@sundew/'.length);
    if (!seen.has(d)) {
      seen.add(d);
      internalDeps(d, seen);
    }
  }
  return seen;
}

/** `npm pack` the given packages into `dest`; returns directory name → tarball path. */
export function packAll(dirs: string[], dest: string): Map<string, string> {
  const out = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dest, ...dirs.map((d) => `./packages/${d}`)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const packs = JSON.parse(out) as { name: string; filename: string }[];
  return new Map(packs.map((p) => [p.name.slice('@sundew/'.length), join(dest, p.filename)]));
}

/**
 * TensorFlow.js's own declarations do not pass `skipLibCheck: false` under
 * `strict` (tfjs-layers' config types, TS2411/TS2420): those errors are
 * tfjs's, reported apart; every other error fails the check.
 */
export const tfjsOwnError = /^node_modules\/@tensorflow\/[^(]+\.d\.ts\(/;

/** The `tsc` error lines of a result that are not tfjs's own. */
export const ourErrors = (text: string): string[] =>
  text.split('\n').filter((l) => /error TS\d+/.test(l) && !tfjsOwnError.test(l));

export interface InstallResult {
  dir: string;
  /** `npm ls --all` of the project, with its exit code. */
  ls: { code: number; text: string };
  typecheck: { code: number; text: string };
  run: { code: number; text: string };
  seconds: { install: number; typecheck: number; run: number };
}

const sh = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { code: r.status ?? 1, text: `${r.stdout}${r.stderr}` };
};

/**
 * A fresh project that depends on one package (and `@types/node`), our other
 * packages pinned to their tarballs with `overrides`: install, `npm ls`,
 * `tsc --noEmit` with `skipLibCheck: false`, then run the example with tsx.
 */
export function installAlone(dir: string, tarballs: Map<string, string>, under = tmpdir()): InstallResult {
  const project = mkdtempSync(join(under, `sundew-alone-${dir}-`));
  const name = manifestOf(dir).name;
  const overrides = Object.fromEntries(
    [...internalDeps(dir)].map((d) => [`@sundew/${d}`, `file:${tarballs.get(d)}`]),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: `try-${dir}`,
        private: true,
        type: 'module',
        dependencies: { [name]: `file:${tarballs.get(dir)}` },
        devDependencies: { '@types/node': '^20.19.0' },
        overrides,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        skipLibCheck: false,
        noEmit: true,
      },
      include: ['example.ts'],
    }),
  );
  writeFileSync(join(project, 'example.ts'), `${exampleOf(dir)}\nexport {};\n`);
  mkdirSync(join(project, 'runs'), { recursive: true });
  const t0 = performance.now();
  const install = sh(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    project,
  );
  if (install.code !== 0) throw new Error(`npm install of ${name} alone failed:\n${install.text}`);
  const t1 = performance.now();
  const ls = sh('npm', ['ls', '--all'], project);
  const typecheck = sh(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', project],
    project,
  );
  const t2 = performance.now();
  const run = sh(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'example.ts'], project);
  const t3 = performance.now();
  return {
    dir: project,
    ls,
    typecheck,
    run,
    seconds: { install: (t1 - t0) / 1000, typecheck: (t2 - t1) / 1000, run: (t3 - t2) / 1000 },
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const wanted = process.argv.slice(2);
  const dirs = wanted.length > 0 ? wanted : packageDirs;
  const work = mkdtempSync(join(tmpdir(), 'sundew-pack-'));
  const needed = [...new Set(dirs.flatMap((d) => [d, ...internalDeps(d)]))];
  const tarballs = packAll(needed, work);
  let failed = 0;
  for (const dir of dirs) {
    const r = installAlone(dir, tarballs, work);
    const tfjsErrors = r.typecheck.text.split('\n').filter((l) => tfjsOwnError.test(l) && /error TS/.test(l));
    const ok =
      ourErrors(r.typecheck.text).length === 0 &&
      r.run.code === 0 &&
      r.ls.code === 0 &&
      !/UNMET (?!OPTIONAL)|invalid/.test(r.ls.text);
    if (!ok) failed++;
    const unmet = r.ls.text.match(/UNMET OPTIONAL DEPENDENCY \S+/g) ?? [];
    console.log(
      `@sundew/${dir}: ${ok ? 'ok' : 'FAILED'} (install ${r.seconds.install.toFixed(1)} s, tsc ${r.seconds.typecheck.toFixed(1)} s, run ${r.seconds.run.toFixed(1)} s)` +
        (tfjsErrors.length > 0 ? `; tsc: ${tfjsErrors.length} error(s) in tfjs's own declarations` : '') +
        (unmet.length > 0 ? `; npm ls: ${unmet.length} optional dependencies not installed` : ''),
    );
    if (!ok)
      console.log(
        `  npm ls (${r.ls.code}), run (${r.run.code}):\n${ourErrors(r.typecheck.text).join('\n')}\n${r.run.text}`,
      );
    else console.log(`  → ${r.run.text.trim().split('\n').join(' | ')}`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
