import type { RunEnvironment } from '@sundew/types';

interface NodeOs {
  arch(): string;
  cpus(): { model: string }[];
  platform(): string;
}

/** Node's `os`, reached without a static import: a page bundling the recorder carries no node:os. */
const nodeOs = (): NodeOs | undefined =>
  (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:os',
  ) as NodeOs | undefined;

/** Describe this machine for a metrics file: backend, Node version, cores and CPU model. */
export function detectEnvironment(options: {
  backend: string;
  threads?: number;
  tfjsVersion?: string;
  sundewVersion?: string;
}): RunEnvironment {
  const os = nodeOs();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const cpuList = os
    ? os.cpus()
    : Array.from({ length: nav?.hardwareConcurrency ?? 0 }, () => ({ model: '' }));
  return {
    backend: options.backend,
    ...(options.threads ? { threads: options.threads } : {}),
    // Outside Node (a page's worker): no Node version; the platform is the browser's.
    node: os ? process.version : 'none',
    platform: os ? os.platform() : 'browser',
    arch: os ? os.arch() : 'unknown',
    cores: cpuList.length,
    ...(cpuList[0]?.model ? { cpuModel: cpuList[0].model.trim() } : {}),
    ...(options.tfjsVersion ? { tfjsVersion: options.tfjsVersion } : {}),
    ...(options.sundewVersion ? { sundewVersion: options.sundewVersion } : {}),
  };
}
