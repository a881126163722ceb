// Types of quaver-dsp.
import { AudioRing, SpscRing, SampleFormatName, RingbufJsView } from './ring.js';

export * from './ring.js';
export * from './dsp.js';
export type { QuaverRingReaderOptions, QuaverRingReaderStats } from './worklet.js';

export type QuaverBuild = 'threads-simd' | 'simd' | 'baseline';
export declare const BUILDS: readonly QuaverBuild[];

export interface QuaverOptions {
  /** Force a build; by default the best one this context supports. */
  build?: QuaverBuild;
  /** Reject when the module (and its pthreads) has not started after this many ms (default 20000). */
  timeoutMs?: number;
  /** Pthreads started with the threaded build (default: the cores less one, 1 to 4; at most 64). */
  threads?: number;
  /** Where the files of dist/ are: file name -> URL (browser) or path / file URL (node). */
  locateFile?: (file: string) => string;
}

/** Owner of memory in the WASM heap: free it with delete() (or `using`). */
export interface WasmObject {
  /** True once delete() ran. */
  readonly deleted: boolean;
  /** Frees the WASM memory; later use throws. Safe to call twice. */
  delete(): void;
  [Symbol.dispose](): void;
}

/** A ring laid out by C++ in the WASM heap; open its bytes with view(). */
export interface WasmRing<R extends SpscRing = SpscRing> extends WasmObject {
  /** The WASM heap (a SharedArrayBuffer in the threaded build). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Where the ring starts in `buffer` (64-byte aligned). */
  readonly byteOffset: number;
  readonly byteLength: number;
  /** A plain-JS view of the same bytes. */
  view(): R;
}

/** A float32 ring in the ringbuf.js 0.4.0 layout in the WASM heap. */
export interface WasmRingbufJsRing extends WasmObject {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
  /** Items the ring holds when full. */
  readonly capacity: number;
  /** Quaver's JS RingbufJsView of the same bytes. */
  view(): RingbufJsView<Float32ArrayConstructor>;
}

/** The Embind side of the module, for advanced use. */
export interface QuaverModule {
  readonly HEAPU8: Uint8Array;
  version(): string;
  simdTarget(): string;
  heapBytes(): number;
  threadsEnabled(): boolean;
  memoryStats(): QuaverMemoryStats;
  /**
   * Test hook: kills the module on the calling thread, with a WebAssembly
   * trap (how = 0) or abort() (how = 1). The module is dead afterwards.
   */
  debugTrap(how: 0 | 1): void;
  /** Test hook, threaded build: as debugTrap, on a new pthread. False when no pthread is free or the build has none. */
  debugTrapOnThread(how: 0 | 1): boolean;
  /** Threaded build only: a pthread writing (writer = true) or checking the self-test sequence through a float32 ring. */
  SequenceTask?: new (writer: boolean, ringByteOffset: number, ringByteLength: number, frames: number, chunk: number) => SequenceTask;
  [name: string]: unknown;
}

export interface SequenceTask {
  started(): boolean;
  done(): boolean;
  processed(): number;
  mismatches(): number;
  firstMismatch(): number;
  cancel(): void;
  join(): void;
  delete(): void;
}

/** How a module died, as q.onDied() reports it. */
export interface QuaverDeath {
  /** What killed it: 'RuntimeError: unreachable', 'Aborted(...)', 'a pthread trapped: ...'. */
  readonly reason: string;
  /** Where: a call from JS trapped, abort() ran (on any thread), or a pthread trapped. */
  readonly source: 'call' | 'abort' | 'thread';
  /** The error or error event that reported it, when there was one. */
  readonly error?: unknown;
}

/** The fixed WASM heap, in bytes. */
export interface QuaverMemoryStats {
  /** The heap's size: the budget chosen at build time (it never grows). */
  heapBytes: number;
  /** Static data and the main thread's stack, below the allocator's arena. */
  staticBytes: number;
  /** Taken from the heap by the allocator so far. */
  arenaBytes: number;
  /** In live allocations. */
  usedBytes: number;
  /** Still allocatable (ignoring fragmentation). */
  freeBytes: number;
}

/** A live ring made by createAudioRing, createSpscRing or createRingbufJsRing. */
export interface QuaverRingTelemetry {
  kind: 'AudioRing' | 'SpscRing' | 'RingbufJsRing';
  byteOffset: number;
  byteLength: number;
  capacity: number;
  channels: number;
  /** Frames (items) ready to read now. */
  availableRead: number;
  /**
   * Audio rings only, counted by the views ring.view() returned (views
   * attached elsewhere, e.g. in an AudioWorklet, count nothing here):
   * reads that found fewer frames than asked for, and the frames missing.
   */
  underruns?: number;
  underrunFrames?: number;
  /** Writes that found less room than they had frames, and the frames dropped. */
  overruns?: number;
  overrunFrames?: number;
}

/** A priority class of the worker pool, by name or code (0 = realtime ... 3 = background). */
export type QuaverPriority = 'realtime' | 'high' | 'normal' | 'background' | 0 | 1 | 2 | 3;

/** Counters of one priority class (see quaver::PoolStats). */
export interface QuaverPriorityStats {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Submit-to-start latency percentiles, nanoseconds (sampled). */
  latencyP50Ns: number;
  latencyP99Ns: number;
  latencyMaxNs: number;
}

/** What q.pool.stats() returns. */
export interface QuaverPoolStats {
  realtime: QuaverPriorityStats;
  high: QuaverPriorityStats;
  normal: QuaverPriorityStats;
  background: QuaverPriorityStats;
  workers: number;
  busySeconds: number;
  workerSeconds: number;
  /** busySeconds / workerSeconds. */
  utilisation: number;
  /** Jobs submitted from JS whose promise has not settled. */
  outstanding: number;
  /** Jobs waiting in JS because the pool's queue was full. */
  backlog: number;
}

/**
 * q.pool: the C++ WorkerPool seen from JS. Jobs run on the module's pthreads
 * (threads-simd) or on this thread in short slices between events (other
 * builds); no method ever blocks the calling thread.
 */
export interface QuaverPool {
  /** True when jobs run on pthreads. */
  readonly threaded: boolean;
  /** Whether a job's C++ exception becomes a rejection carrying its message. */
  readonly catchesExceptions: boolean;
  /** Worker threads now (0 without threads). */
  readonly workers: number;
  /** Does nothing; resolves with 0. */
  submit(priority: QuaverPriority, job: 'empty'): Promise<number>;
  /** sum(n): the sum of the integers below n (n <= 2^40). */
  submit(priority: QuaverPriority, job: 'sum', n: number): Promise<number>;
  /** busy(ns): spins for ns nanoseconds (at most 60 s); resolves with the time it took. */
  submit(priority: QuaverPriority, job: 'busy', ns: number): Promise<number>;
  /** fail(x): throws a C++ exception; the promise rejects with its message. */
  submit(priority: QuaverPriority, job: 'fail', x?: number): Promise<number>;
  stats(): QuaverPoolStats;
  /** Sets the worker count; growing takes pthreads the module started (createQuaver({ threads })). */
  resize(n: number): void;
  /** Rejects every outstanding job; the pool cannot be used afterwards. */
  terminate(): void;
}

/** What q.telemetry() returns. */
export interface QuaverTelemetry {
  build: QuaverBuild;
  threads: number;
  memory: QuaverMemoryStats;
  /** q.pool.stats(), or null while the pool has not been used (telemetry does not start it). */
  pool: QuaverPoolStats | null;
  rings: QuaverRingTelemetry[];
}

/** A loaded Quaver WASM module. */
export declare class Quaver {
  private constructor();
  readonly build: QuaverBuild;
  /** Pthreads started with the module (1 without threads). */
  readonly threads: number;
  readonly version: string;
  /** Highway's SIMD target in the module: 'WASM' (SIMD128) or 'EMU128'. */
  readonly simdTarget: string;
  readonly module: QuaverModule;
  /** The worker pool. */
  readonly pool: QuaverPool;
  /** The WASM heap; it never grows, so views of it stay valid. */
  readonly memory: ArrayBuffer | SharedArrayBuffer;
  /** A float32 AudioRing in the WASM heap. */
  createAudioRing(capacity: number, channels?: number): WasmRing<AudioRing>;
  /** A one-channel SpscRing in the WASM heap. */
  createSpscRing(capacity: number, sampleFormat?: Exclude<SampleFormatName, 'int64' | 'uint64'>): WasmRing<SpscRing>;
  /** A float32 ring in the ringbuf.js 0.4.0 layout in the WASM heap. */
  createRingbufJsRing(capacity: number): WasmRingbufJsRing;
  /**
   * Heap use, pool counters and the live rings. Not real-time (allocates, and
   * takes the allocator's lock in the module). Throws on a dead module.
   */
  telemetry(): QuaverTelemetry;
  /**
   * True once the module died: a WebAssembly trap or an abort, on any of its
   * threads. Every later call throws "quaver-dsp: module died: ...", pending
   * pool jobs reject, the pthreads are stopped; createQuaver() makes a new one.
   */
  readonly dead: boolean;
  /** Why it died, or undefined while it lives. */
  readonly deathReason: string | undefined;
  /**
   * Calls `listener` once when the module dies (in a microtask; right away,
   * in a microtask too, if it is dead already). Returns a function that
   * removes the listener.
   */
  onDied(listener: (death: QuaverDeath) => void): () => void;
  /** Frees every object still alive, stops the pthreads and the pool. Safe on a dead module. */
  terminate(): void;
  [Symbol.dispose](): void;
}

/** Loads the best (or the forced) WASM build. */
export declare function createQuaver(options?: QuaverOptions): Promise<Quaver>;
/** The build createQuaver() picks here. */
export declare function detectBuild(): QuaverBuild;
export declare function simdSupported(): boolean;
export declare function threadsSupported(): boolean;
/** URL of the AudioWorklet module that registers 'quaver-ring-reader'. */
export declare const workletUrl: string;
