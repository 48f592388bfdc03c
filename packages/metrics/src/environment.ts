import { arch, cpus, platform } from 'node:os';
import type { RunEnvironment } from '@sundew/types';

/** Describe this machine for a metrics file: backend, Node version, cores and CPU model. */
export function detectEnvironment(options: {
  backend: string;
  threads?: number;
  tfjsVersion?: string;
  sundewVersion?: string;
}): RunEnvironment {
  const cpuList = cpus();
  return {
    backend: options.backend,
    ...(options.threads ? { threads: options.threads } : {}),
    node: process.version,
    platform: platform(),
    arch: arch(),
    cores: cpuList.length,
    ...(cpuList[0]?.model ? { cpuModel: cpuList[0].model.trim() } : {}),
    ...(options.tfjsVersion ? { tfjsVersion: options.tfjsVersion } : {}),
    ...(options.sundewVersion ? { sundewVersion: options.sundewVersion } : {}),
  };
}
