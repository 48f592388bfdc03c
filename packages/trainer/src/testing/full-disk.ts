import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';

type Callback = (error: NodeJS.ErrnoException | null, ...rest: unknown[]) => void;
type AnyFunction = (...args: never[]) => unknown;
type Call = (...args: unknown[]) => unknown;

/** The error a full disk gives, as Node reports it. */
function enospc(syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}${path ? ` '${path}'` : ''}`), {
    code: 'ENOSPC',
    errno: -28,
    syscall,
    ...(path ? { path } : {}),
  });
}

/**
 * Simulate a full disk under `dir` for the code of this process: files there
 * can still be opened, renamed and removed, but every write to them fails with
 * `ENOSPC`, as the kernel reports it. Covers `fs` (callback, sync and promise
 * APIs, `FileHandle`), so libraries such as write-file-atomic see it too.
 * Returns a function that restores the real file system.
 */
export function simulateFullDisk(dir: string): () => void {
  const root = resolve(dir) + sep;
  const inside = (path: unknown): path is string =>
    (typeof path === 'string' || path instanceof URL || Buffer.isBuffer(path)) &&
    resolve(path instanceof URL ? path.pathname : String(path)).startsWith(root);
  const fds = new Set<number>();
  const saved: [Record<string, AnyFunction>, string, AnyFunction][] = [];
  const patch = (target: object, name: string, wrap: (original: Call) => AnyFunction): void => {
    const t = target as Record<string, AnyFunction>;
    saved.push([t, name, t[name]!]);
    t[name] = wrap(t[name] as Call);
  };

  patch(fs, 'open', (original) => (path: unknown, ...rest: unknown[]) => {
    const callback = rest.pop() as Callback;
    return original(path, ...rest, (error: NodeJS.ErrnoException | null, fd: number) => {
      if (!error && inside(path)) fds.add(fd);
      callback(error, fd);
    });
  });
  patch(fs, 'openSync', (original) => (path: unknown, ...rest: unknown[]) => {
    const fd = original(path, ...rest) as number;
    if (inside(path)) fds.add(fd);
    return fd;
  });
  patch(fs.promises, 'open', (original) => async (path: unknown, ...rest: unknown[]) => {
    const handle = (await original(path, ...rest)) as Record<string, unknown>;
    if (inside(path)) {
      for (const name of ['write', 'writev', 'writeFile', 'appendFile']) {
        handle[name] = () => Promise.reject(enospc('write'));
      }
    }
    return handle;
  });
  for (const name of ['write', 'writev']) {
    patch(fs, name, (original) => (fd: number, ...rest: unknown[]) => {
      if (!fds.has(fd)) return original(fd, ...rest);
      process.nextTick(rest.pop() as Callback, enospc('write'));
    });
  }
  for (const name of ['writeSync', 'writevSync']) {
    patch(fs, name, (original) => (fd: number, ...rest: unknown[]) => {
      if (fds.has(fd)) throw enospc('write');
      return original(fd, ...rest);
    });
  }
  for (const name of ['writeFile', 'appendFile']) {
    patch(fs, name, (original) => (path: unknown, ...rest: unknown[]) => {
      if (!inside(path)) return original(path, ...rest);
      process.nextTick(rest.pop() as Callback, enospc('write', path));
    });
    patch(fs.promises, name, (original) => async (path: unknown, ...rest: unknown[]) => {
      if (inside(path)) throw enospc('write', path);
      return original(path, ...rest);
    });
  }
  for (const name of ['writeFileSync', 'appendFileSync']) {
    patch(fs, name, (original) => (path: unknown, ...rest: unknown[]) => {
      if (inside(path)) throw enospc('write', path);
      return original(path, ...rest);
    });
  }
  syncBuiltinESMExports();
  return () => {
    for (const [target, name, original] of saved.reverse()) target[name] = original;
    syncBuiltinESMExports();
  };
}
