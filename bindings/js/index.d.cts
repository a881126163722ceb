// Types of quaver-dsp for require(): the rings, createQuaver and workletUrl.
import type { Quaver, QuaverOptions } from './index.js';

export * from './ring.js';
export * from './dsp.js';
export type {
  Quaver,
  QuaverOptions,
  QuaverBuild,
  WasmRing,
  WasmObject,
  QuaverDeath,
  QuaverTelemetry,
  QuaverMemoryStats,
  QuaverRingTelemetry,
  QuaverPool,
  QuaverPoolStats,
  QuaverPriority,
  QuaverPriorityStats,
} from './index.js';
export declare function createQuaver(options?: QuaverOptions): Promise<Quaver>;
export declare const workletUrl: string;
