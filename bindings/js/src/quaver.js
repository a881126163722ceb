// createQuaver(): loads the best WASM build this JS context can run and
// wraps it. Emscripten 3.1.6 emits CommonJS factories; node loads them with
// require() and is handed the .wasm bytes (its fetch cannot read files), the
// browser imports the ES-module twin (dist/*.mjs) and fetches the .wasm.
import { AudioRing, SpscRing, RingbufJsView, SampleFormat } from './ring.js';
import { WasmRing, WasmRingbufJsRing, ownedObjects } from './wasm-object.js';
import { createLife, guardModule, hookWorkers, guardPool, diedError, killThreads } from './life.js';
import { trackRing, ringTelemetry } from './telemetry.js';

export const BUILDS = Object.freeze(['threads-simd', 'simd', 'baseline']);

const OPTION_NAMES = new Set(['build', 'timeoutMs', 'threads', 'locateFile']);
const DEFAULT_TIMEOUT_MS = 20000;
const MAX_DEFAULT_THREADS = 4;
const MAX_THREADS = 64;

const isNode =
  typeof process === 'object' && typeof process.versions === 'object' && typeof process.versions.node === 'string' &&
  typeof window === 'undefined';

// The smallest module using a SIMD128 instruction (i8x16.splat, i8x16.popcnt),
// the probe of wasm-feature-detect.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this engine validates WebAssembly SIMD128. */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * True when the threaded build can run here: shared memory, and in a browser
 * cross-origin isolation (COOP + COEP headers); in node, worker_threads.
 */
export function threadsSupported() {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  try {
    // A shared WebAssembly.Memory is what the threaded build needs.
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    if (Object.prototype.toString.call(memory.buffer) !== '[object SharedArrayBuffer]') return false;
  } catch {
    return false;
  }
  if (isNode) return true; // worker_threads is part of every node >= 12
  return globalThis.crossOriginIsolated === true && typeof Worker === 'function';
}

/** The build createQuaver() picks here when none is forced. */
export function detectBuild() {
  if (!simdSupported()) return 'baseline';
  return threadsSupported() ? 'threads-simd' : 'simd';
}

function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new TypeError(`createQuaver: options must be an object, got ${typeof options}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) {
      throw new TypeError(`createQuaver: unknown option '${key}' (known: ${[...OPTION_NAMES].join(', ')})`);
    }
  }
  const { build, timeoutMs, threads, locateFile } = options;
  if (build !== undefined && !BUILDS.includes(build)) {
    throw new RangeError(`createQuaver: build must be one of ${BUILDS.join(', ')}, got ${String(build)}`);
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2 ** 31 - 1)) {
    throw new RangeError(`createQuaver: timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)) {
    throw new RangeError(`createQuaver: threads must be an integer in [1, ${MAX_THREADS}], got ${String(threads)}`);
  }
  if (locateFile !== undefined && typeof locateFile !== 'function') {
    throw new TypeError('createQuaver: locateFile must be a function (fileName) => URL or path');
  }
  return options;
}

function distUrl(file) {
  return new URL(`../dist/${file}`, import.meta.url).href;
}

async function loadFactory(build, locate) {
  const name = `quaver-${build}`;
  if (isNode) {
    const [{ createRequire }, fs, { fileURLToPath }] = await Promise.all([
      import('node:module'),
      import('node:fs'),
      import('node:url'),
    ]);
    const require = createRequire(import.meta.url);
    const toPath = (where) => (String(where).startsWith('file:') ? fileURLToPath(where) : String(where));
    const factory = require(toPath(locate(`${name}.js`)));
    const wasmBinary = await fs.promises.readFile(toPath(locate(`${name}.wasm`)));
    return { factory, settings: { wasmBinary, locateFile: (file) => toPath(locate(file)) } };
  }
  const { default: factory } = await import(/* webpackIgnore: true */ locate(`${name}.mjs`));
  return {
    factory,
    settings: {
      locateFile: (file) => locate(file),
      // Each pthread worker loads the classic-script factory with importScripts.
      mainScriptUrlOrBlob: locate(`${name}.js`),
    },
  };
}

function withTimeout(promise, ms, what, onLate) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`quaver-dsp: ${what} did not start within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).then(
    (value) => {
      clearTimeout(timer);
      return value;
    },
    (error) => {
      clearTimeout(timer);
      // A module that starts after we gave up is shut down rather than leaked.
      promise.then(onLate, () => {});
      throw error;
    },
  );
}

function stopThreads(module) {
  const pthreads = module?.PThread;
  if (pthreads && typeof pthreads.terminateAllThreads === 'function') pthreads.terminateAllThreads();
}

// As the C++ pool's default (hardware_concurrency() - 1): the page's or
// process's own thread keeps a core. At most 4: every pthread adds to the
// time createQuaver() takes (each loads and instantiates the module).
async function defaultThreads() {
  let cores = globalThis.navigator?.hardwareConcurrency;
  if (!cores && isNode) {
    const os = await import('node:os');
    cores = os.availableParallelism?.() ?? os.cpus().length;
  }
  return Math.min(MAX_DEFAULT_THREADS, Math.max(1, (cores || MAX_DEFAULT_THREADS + 1) - 1));
}

/**
 * Loads Quaver's WASM module.
 * @param {{ build?: 'threads-simd'|'simd'|'baseline', timeoutMs?: number, threads?: number,
 *           locateFile?: (file: string) => string }} [options]
 * @returns {Promise<Quaver>}
 */
export async function createQuaver(options) {
  const opts = checkOptions(options);
  const build = opts.build ?? detectBuild();
  if (build === 'threads-simd' && !threadsSupported()) {
    throw new Error(
      "createQuaver: the 'threads-simd' build needs SharedArrayBuffer and shared WebAssembly memory" +
        (isNode ? '' : ', which a page has only when cross-origin isolated (COOP: same-origin, COEP: require-corp)'),
    );
  }
  if (build !== 'baseline' && !simdSupported()) {
    throw new Error(`createQuaver: the '${build}' build needs WebAssembly SIMD128, which this engine lacks; use 'baseline'`);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const threads = build === 'threads-simd' ? (opts.threads ?? (await defaultThreads())) : 1;
  const locate = opts.locateFile ?? distUrl;

  // The pool and DSP modules load while the WASM starts, not after it (on a
  // network, two round trips less on the way to ready).
  const poolModule = importPool();
  const dspModule = import('./dsp.js');
  poolModule.catch(() => {}); // awaited below, unless the WASM fails first
  dspModule.catch(() => {});

  // The module's life: an abort (in C++ or by Emscripten) is reported
  // through onAbort, from any thread, even while the module starts.
  const life = createLife();
  const starting = (async () => {
    const { factory, settings } = await loadFactory(build, locate);
    if (typeof factory !== 'function') throw new Error(`quaver-dsp: dist/quaver-${build} is not an Emscripten factory`);
    return factory({
      ...settings,
      pthreadPoolSize: threads,
      print: (text) => console.log(text),
      printErr: (text) => console.error(text),
      onAbort: (what) => life.die('abort', `Aborted(${what ?? ''})`),
    });
  })();
  const module = await withTimeout(starting, timeoutMs, `the '${build}' WASM build`, stopThreads);
  if (isNode && module.PThread) {
    // Idle pthread workers must not keep node's process alive.
    for (const worker of module.PThread.unusedWorkers) worker.unref?.();
  }
  life.module = module;
  guardModule(module, life);
  hookWorkers(module, life);
  const q = new Quaver(module, build, threads, life);
  try {
    const createPool = (await poolModule)?.createPool;
    if (typeof createPool === 'function') q.pool = guardPool(createPool(q.module), life);
    // DSP classes (./dsp.js): q.RealFFT, q.ComplexFFT, q.SpectrumAnalyzer, q.stft, q.BiquadFilter, q.ParametricEQ, q.Convolver.
    (await dspModule).attachDsp(q);
  } catch (error) {
    q.terminate(); // do not leave the module's pthreads running behind a failed start
    throw error;
  }
  return q;
}

// The worker pool lives in ./pool.js when the package ships it: resolves
// with that module, or null without it.
async function importPool() {
  try {
    return await import('./pool.js');
  } catch (error) {
    const missing =
      error?.code === 'ERR_MODULE_NOT_FOUND' ||
      (!isNode && error instanceof TypeError && /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(String(error.message)));
    if (missing) return null;
    throw error;
  }
}

/** A loaded Quaver WASM module. */
export class Quaver {
  constructor(module, build, threads, life = createLife()) {
    /** The build that runs: 'threads-simd', 'simd' or 'baseline'. */
    this.build = build;
    /** Pthreads started with the module (1 when the build has none). */
    this.threads = threads;
    /** The raw Emscripten module (Embind classes and the heap), for advanced use. */
    this.module = module;
    this.version = module.version();
    /** Highway's SIMD target inside the module ('WASM' with SIMD128, 'EMU128' without). */
    this.simdTarget = module.simdTarget();
    this.pool = undefined;
    this._terminated = false;
    this._life = life;
    life.module = module;
    life.onDeath = () => this._afterDeath();
    if (life.death) this._afterDeath(); // it died while starting
  }

  /** True once the module died (a trap or an abort, on any of its threads). */
  get dead() {
    return this._life.death !== null;
  }

  /** Why the module died ('RuntimeError: unreachable', 'Aborted(...)', ...), or undefined. */
  get deathReason() {
    return this._life.death?.reason;
  }

  /**
   * Calls `listener(death)` once when the module dies ({ reason, source,
   * error }), in a microtask; right away (in a microtask too) if it is dead
   * already. Returns a function that removes the listener.
   */
  onDied(listener) {
    if (typeof listener !== 'function') throw new TypeError('onDied: listener must be a function');
    return this._life.listen(listener);
  }

  // After a death: stop every thread and the pool without calling into the
  // module (its state, locks included, is unknown), then tell the listeners.
  _afterDeath() {
    try {
      this.pool?.terminate?.();
    } catch {
      // The pool's own clean-up may call into the dead module.
    }
    killThreads(this.module);
  }

  /**
   * What the module is doing: its heap (bytes: budget, in use, free), the
   * pool's counters (null until the pool is first used), and the rings made
   * with createAudioRing / createSpscRing / createRingbufJsRing that are
   * still alive, with their fill level and, for audio rings, the underruns
   * and overruns counted by the views their view() returned.
   * Not real-time: allocates, and takes the allocator's lock in the module.
   */
  telemetry() {
    this._check('telemetry');
    const pool = this.pool;
    return {
      build: this.build,
      threads: this.threads,
      memory: this.module.memoryStats(),
      pool: pool?.started ? pool.stats() : null,
      rings: ringTelemetry(ownedObjects(this)),
    };
  }

  /** The WASM heap: a SharedArrayBuffer in the threaded build. It never grows. */
  get memory() {
    this._check('memory');
    return this.module.HEAPU8.buffer;
  }

  // The heap's size_t is 32 bits: a block must be checked here, not in C++.
  _checkFits(bytes, what) {
    const heap = this.module.HEAPU8.length;
    if (bytes > heap) {
      throw new RangeError(`${what}: a ring of ${bytes} bytes does not fit in the WASM heap (${heap} bytes)`);
    }
  }

  _check(what) {
    if (this._life.death) throw diedError(this._life, `${what} called after the death`);
    if (this._terminated) throw new Error(`quaver-dsp: ${what} used after terminate()`);
  }

  /**
   * An AudioRing (float32, channel-planar) allocated in the WASM heap; its
   * bytes can be shared with JS, workers and an AudioWorklet (threaded build).
   */
  createAudioRing(capacity, channels = 1) {
    this._check('createAudioRing');
    this._checkFits(AudioRing.bytesRequired(capacity, channels, 'float32'), 'createAudioRing');
    return trackRing(new WasmRing(this, 'AudioRing', capacity, channels, SampleFormat.float32), 'AudioRing');
  }

  /** A one-channel SpscRing of `sampleFormat` items allocated in the WASM heap. */
  createSpscRing(capacity, sampleFormat = 'float32') {
    this._check('createSpscRing');
    this._checkFits(SpscRing.bytesRequired(capacity, 1, sampleFormat), 'createSpscRing');
    const code = typeof sampleFormat === 'string' ? SampleFormat[sampleFormat] : sampleFormat;
    if (code === SampleFormat.int64 || code === SampleFormat.uint64) {
      throw new TypeError(`createSpscRing: ${sampleFormat} rings are not bound to WASM; use float32, int32, uint32 or float64`);
    }
    return trackRing(new WasmRing(this, 'SpscRing', capacity, 1, code), 'SpscRing');
  }

  /** A float32 ring in the ringbuf.js 0.4.0 layout, allocated in the WASM heap. */
  createRingbufJsRing(capacity) {
    this._check('createRingbufJsRing');
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity >= 2 ** 28) {
      throw new RangeError(`createRingbufJsRing: capacity must be an integer in [1, 2^28), got ${String(capacity)}`);
    }
    this._checkFits(RingbufJsView.bytesRequired(capacity, Float32Array), 'createRingbufJsRing');
    return trackRing(new WasmRingbufJsRing(this, capacity), 'RingbufJsRing');
  }

  /**
   * Stops the module's pthreads and the pool. The module's objects must not
   * be used afterwards. Safe on a dead module (it then frees nothing: the
   * whole heap goes with the module).
   */
  terminate() {
    if (this._terminated) return;
    this._terminated = true;
    // On a dead module delete() calls nothing (see life.js).
    for (const object of ownedObjects(this)) object.delete();
    if (this._life.death) {
      this._afterDeath();
      return;
    }
    this.pool?.terminate?.();
    stopThreads(this.module);
  }

  [Symbol.dispose]() {
    this.terminate();
  }
}
