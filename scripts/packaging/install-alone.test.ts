import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installAlone, internalDeps, lightPackages, packAll } from './install-alone.js';

// The light packages (no tfjs) installed alone from their tarballs, as a user
// would: `npx tsx scripts/packaging/install-alone.ts` checks all ten.
describe('packages installed alone from their tarballs', () => {
  const work = mkdtempSync(join(tmpdir(), 'sundew-pack-'));
  const tarballs = packAll([...new Set(lightPackages.flatMap((d) => [d, ...internalDeps(d)]))], work);

  it.each(lightPackages)(
    '@sundew/%s: npm ls clean, tsc with skipLibCheck false, the README example runs',
    (dir) => {
      const r = installAlone(dir, tarballs, work);
      expect(r.ls.text).not.toMatch(/UNMET|invalid|missing/);
      expect(r.ls.code).toBe(0);
      expect(r.typecheck.text).toBe('');
      expect(r.typecheck.code).toBe(0);
      expect(r.run.code, r.run.text).toBe(0);
    },
    120_000,
  );
});
