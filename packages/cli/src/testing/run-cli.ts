import { main } from '../program.js';

/** What one in-process `sundew` invocation printed and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  errLines: string[];
}

/** Run `sundew <args>` in this process, capturing stdout, stderr and the exit code. */
export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  await main(['node', 'sundew', ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    setExitCode: (c) => {
      code = c;
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

/** The one line that reports an error (`sundew: …` or commander's `error: …`). */
export const errorLine = (r: CliRun): string | undefined =>
  r.errLines.find((l) => l.startsWith('sundew:') || l.startsWith('error:'));
