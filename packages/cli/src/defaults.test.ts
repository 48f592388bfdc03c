import { readFile } from 'node:fs/promises';
import { gateNames } from '@sundew/gate';
import { scorerNames } from '@sundew/significance';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXT, PRESET_DEFAULTS, TRAIN_DEFAULTS } from './defaults.js';
import { flagOf } from './load-config.js';
import { recipeFor } from './presets.js';
import { runCli } from './testing/run-cli.js';
import { trainConfigSchema } from './train-config.js';

// One source for the defaults: the code's (schema and recipes), `--help` and the README table.
const expected: Record<string, string> = {
  ...Object.fromEntries(Object.entries(TRAIN_DEFAULTS).map(([k, v]) => [k, String(v)])),
  ...DEFAULT_TEXT,
};

describe('defaults: one source for the code, --help and the README', () => {
  it('the schema applies TRAIN_DEFAULTS, and the recipe of each preset is what DEFAULT_TEXT says', () => {
    expect(trainConfigSchema.parse({})).toMatchObject(TRAIN_DEFAULTS);
    expect(PRESET_DEFAULTS.default).toEqual(recipeFor({ preset: 'default', model: 'tiny' }));
    expect(DEFAULT_TEXT.targetRate).toBe('0.3; --preset reference: 0.1');
    expect(DEFAULT_TEXT.scorer).toBe('stale-loss-guarded-balanced; --preset reference: batch-relative');
    expect(DEFAULT_TEXT.lr).toContain(`${recipeFor({ preset: 'default', model: 'tiny' }).lr} (tiny model)`);
  });

  it('--help states every default and lists every scorer and gate', async () => {
    const r = await runCli('train', '--help');
    const help = r.out.replace(/\s+/g, ' ');
    for (const [key, text] of Object.entries(expected)) {
      if (key === 'preset') continue; // "recipe: default … (default default)": checked below
      expect(help, flagOf(key)).toContain(`(default ${text})`);
    }
    expect(help).toContain(`(default ${TRAIN_DEFAULTS.preset})`);
    expect(help).toContain(scorerNames.join(', '));
    expect(help).toContain(gateNames.join(', '));
    // Before: "--target-rate … (default 0.1)" (ran 0.3) and "--lr … 1e-3 tiny" (ran 2e-3).
    expect(help).not.toContain('default 0.1)');
    expect(help).not.toContain('1e-3');
  });

  it("the README's table of sundew train shows the same defaults", async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((l) => l.startsWith('| `--'));
    for (const [key, text] of Object.entries(expected)) {
      const row = rows.find(
        (l) => l.startsWith(`| \`${flagOf(key)} `) || l.startsWith(`| \`${flagOf(key)}\``),
      );
      expect(row, `README row of ${flagOf(key)}`).toBeDefined();
      expect(row!.split(' | ')[1], flagOf(key)).toBe(text);
    }
    const scorerRow = rows.find((l) => l.startsWith('| `--scorer'))!;
    expect(scorerRow.split(' | ')[2]).toBe(scorerNames.map((n) => `\`${n}\``).join(', ') + ' |');
  });
});
