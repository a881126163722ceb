// The worker pool from JS: jobs run on Quaver's C++ WorkerPool (pthreads in
// the threaded build) and come back as Promises.
//
// The main thread never blocks. submit() queues with a lock-free try-push (a
// full queue keeps the job in a JS backlog for the next round); results come
// back through a lock-free queue in the WASM heap plus a counter word that the
// workers notify and this side awaits with Atomics.waitAsync (a short timer
// where waitAsync is missing). Without threads the pool has no workers: jobs
// run on this thread in slices of a few milliseconds between events.

export const PRIORITIES = Object.freeze(['realtime', 'high', 'normal', 'background']);
export const JOBS = Object.freeze({
  /** Does nothing; resolves with 0. */
  empty: 0,
  /** sum(n): the sum of the integers below n, as a double (CPU-bound). */
  sum: 1,
  /** busy(ns): spins for ns nanoseconds; resolves with the time it took. */
  busy: 2,
  /** fail(x): throws a C++ exception; the promise rejects with its message. */
  fail: 3,
});

const MAX_WORKERS = 64;
const SLICE_MS = 4; // longest stretch of jobs run inline (no-threads build) before yielding to events
const POLL_MS = 1; // completion polling period where Atomics.waitAsync is missing

function priorityCode(priority) {
  if (typeof priority === 'string') {
    const code = PRIORITIES.indexOf(priority);
    if (code >= 0) return code;
  } else if (Number.isInteger(priority) && priority >= 0 && priority < PRIORITIES.length) {
    return priority;
  }
  throw new RangeError(`pool.submit: priority must be one of ${PRIORITIES.join(', ')} (or 0-3), got ${String(priority)}`);
}

function jobArgument(job, args) {
  if (job === 'empty') return 0;
  const [arg = 0] = args;
  if (typeof arg !== 'number' || !Number.isFinite(arg) || arg < 0) {
    throw new RangeError(`pool.submit: the argument of '${job}' must be a finite number >= 0, got ${String(arg)}`);
  }
  if (job === 'sum' && arg > 2 ** 40) throw new RangeError(`pool.submit: sum(n) takes n <= 2^40, got ${arg}`);
  if (job === 'busy' && arg > 60e9) throw new RangeError(`pool.submit: busy(ns) takes at most 60 s, got ${arg} ns`);
  return arg;
}

const schedule =
  typeof setImmediate === 'function'
    ? (fn) => setImmediate(fn)
    : (() => {
        // A MessageChannel task runs sooner than setTimeout(0) (no 4 ms clamp).
        const channel = new MessageChannel();
        const queue = [];
        channel.port1.onmessage = () => queue.shift()?.();
        return (fn) => {
          queue.push(fn);
          channel.port2.postMessage(0);
        };
      })();

/**
 * The pool of a loaded Quaver module (createQuaver() attaches it as q.pool).
 * @param {object} module the Emscripten module (q.module)
 * @param {{ workers?: number }} [options] worker threads (default: the free
 *   pthreads of the module's pool; 0 runs jobs on this thread)
 */
export function createPool(module, options = {}) {
  if (!module || typeof module.QuaverPool !== 'function') {
    throw new TypeError('createPool: the module has no QuaverPool (built without bindings/embind/pool.cpp)');
  }
  const threaded = module.quaverPoolThreaded();
  const freePthreads = () => (threaded ? (module.PThread?.unusedWorkers?.length ?? 0) : 0);
  const requested = options.workers;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 0 || requested > MAX_WORKERS)) {
    throw new RangeError(`createPool: workers must be an integer in [0, ${MAX_WORKERS}], got ${String(requested)}`);
  }

  let native = null; // the C++ pool, made on first use so an unused pool takes no pthread
  let counterIndex = 0;
  let drainAddress = 0;
  let nextId = 1;
  let terminated = false;
  let pumping = false;
  const pending = new Map(); // id -> { resolve, reject }
  const backlog = []; // [priority, job, arg, id] the C++ queue had no room for

  function ensureNative() {
    if (native) return native;
    const workers = threaded ? Math.min(requested ?? freePthreads(), freePthreads()) : 0;
    native = new module.QuaverPool(workers);
    counterIndex = native.counterAddress() >> 2;
    drainAddress = native.drainAddress();
    return native;
  }

  let catches;
  function catchesExceptions() {
    if (catches === undefined) {
      try {
        catches = module.quaverPoolCatchesExceptions();
      } catch {
        catches = false; // the probe's throw escaped as a JS exception
      }
    }
    return catches;
  }

  function check(what) {
    if (terminated) throw new Error(`pool.${what}: the pool was terminated`);
  }

  // Reads the completions C++ moved to its drain buffer: records of
  // { f64 value, u32 id, u32 ok }, 16 bytes each.
  function collect() {
    for (;;) {
      const n = native.drain();
      if (n === 0) return;
      const f64 = module.HEAPF64;
      const u32 = module.HEAPU32;
      for (let i = 0; i < n; ++i) {
        const at = drainAddress + i * 16;
        const id = u32[(at + 8) >> 2];
        const entry = pending.get(id);
        if (!entry) continue;
        pending.delete(id);
        if (u32[(at + 12) >> 2]) entry.resolve(f64[at >> 3]);
        else entry.reject(new Error(native.message(i)));
      }
    }
  }

  function flushBacklog() {
    while (backlog.length) {
      const [p, job, arg, id] = backlog[0];
      if (!native.submit(p, job, arg, id)) return;
      backlog.shift();
    }
  }

  // One loop at a time, alive only while jobs are outstanding (so it never
  // keeps node's event loop or a page busy for nothing). A pending
  // Atomics.waitAsync does not keep node's event loop alive, so a slow
  // interval does while jobs are outstanding; it also re-checks the queue (a
  // safety net that costs nothing when notifications arrive) and stops
  // itself once a tick finds nothing outstanding, rather than being set and
  // cleared for every job (~2 us each).
  let keepAlive = null;
  let generation = 0; // a waitAsync of a stopped loop must not start a second one
  function stopKeepAlive() {
    if (keepAlive !== null) clearInterval(keepAlive);
    keepAlive = null;
  }
  function stopPump() {
    pumping = false;
    generation += 1;
    if (terminated) stopKeepAlive();
  }
  function pump() {
    if (pumping || terminated) return;
    pumping = true;
    if (threaded && keepAlive === null) {
      keepAlive = setInterval(() => {
        if (terminated) return stopKeepAlive();
        flushBacklog();
        collect();
        if (pending.size === 0) {
          stopPump();
          stopKeepAlive();
        }
      }, 100);
    }
    const mine = generation;
    const round = () => {
      if (terminated || !pumping || mine !== generation) return;
      const heap = module.HEAP32;
      const seen = threaded ? Atomics.load(heap, counterIndex) : 0;
      let sliceFull = false;
      if (!threaded) {
        const until = performance.now() + SLICE_MS;
        while (native.runPending(1) > 0) {
          if (performance.now() >= until) {
            sliceFull = true;
            break;
          }
        }
      }
      flushBacklog();
      collect();
      if (pending.size === 0) {
        stopPump();
        return;
      }
      if (!threaded) {
        // After a full slice, a timer task lets the page's timers, input and
        // rendering go first (a message-channel task would outrank them).
        if (sliceFull) setTimeout(round, 0);
        else schedule(round);
      } else if (typeof Atomics.waitAsync === 'function') {
        const result = Atomics.waitAsync(heap, counterIndex, seen);
        if (result.async) result.value.then(round);
        else schedule(round); // the counter moved already
      } else {
        setTimeout(round, POLL_MS);
      }
    };
    // Without threads the jobs run in the next macrotask, never inside submit().
    if (threaded) round();
    else schedule(round);
  }

  return {
    /** True when jobs run on pthreads, false when they run on this thread. */
    threaded,

    /** Whether a job's C++ exception becomes a rejection (builds with -fexceptions). */
    get catchesExceptions() {
      return catchesExceptions();
    },

    /**
     * Queues a built-in job at a priority.
     * @param {'realtime'|'high'|'normal'|'background'|0|1|2|3} priority
     * @param {'empty'|'sum'|'busy'|'fail'} job
     * @returns {Promise<number>} the job's result; rejects if the job threw
     */
    submit(priority, job, ...args) {
      check('submit');
      const p = priorityCode(priority);
      if (!Object.hasOwn(JOBS, job)) {
        throw new RangeError(`pool.submit: job must be one of ${Object.keys(JOBS).join(', ')}, got ${String(job)}`);
      }
      const arg = jobArgument(job, args);
      const pool = ensureNative();
      if (job === 'fail' && !catchesExceptions()) {
        // Built without -fexceptions a C++ throw cannot be caught: it would
        // take the whole module down, so the job is refused instead.
        return Promise.reject(new Error("pool.submit: this build cannot catch C++ exceptions, so 'fail' would abort it"));
      }
      const id = nextId;
      nextId = nextId >= 0xfffffffe ? 1 : nextId + 1;
      const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      if (backlog.length || !pool.submit(p, JOBS[job], arg, id)) backlog.push([p, JOBS[job], arg, id]);
      pump();
      return promise;
    },

    /** Counters per priority, latency percentiles (ns), utilisation, JS-side backlog. */
    stats() {
      check('stats');
      const s = ensureNative().stats();
      s.outstanding = pending.size;
      s.backlog = backlog.length;
      return s;
    },

    /** Worker threads now (0 in the build without threads). */
    get workers() {
      return native ? native.workerCount() : 0;
    },

    /**
     * Sets the number of worker threads. Growing takes pthreads from the
     * module's pre-spawned set; shrinking lets workers finish their job first.
     */
    resize(n) {
      check('resize');
      if (!Number.isInteger(n) || n < 0 || n > MAX_WORKERS) {
        throw new RangeError(`pool.resize: n must be an integer in [0, ${MAX_WORKERS}], got ${String(n)}`);
      }
      const pool = ensureNative();
      if (!threaded) {
        if (n !== 0) throw new RangeError('pool.resize: this build has no threads; only 0 workers is possible');
        return;
      }
      const current = pool.workerCount();
      if (n > current && n - current > freePthreads()) {
        throw new RangeError(
          `pool.resize: ${n - current} more workers need as many free pthreads, the module has ${freePthreads()} ` +
            '(createQuaver({ threads }) sets how many are started)',
        );
      }
      pool.resize(n);
    },

    /** Rejects every outstanding job; the pool cannot be used afterwards. */
    terminate() {
      if (terminated) return;
      terminated = true;
      stopPump();
      for (const { reject } of pending.values()) reject(new Error('pool terminated'));
      pending.clear();
      backlog.length = 0;
      // The threaded pool's workers go with the module's pthreads; joining
      // them here would block this thread.
      if (native && !threaded) native.delete();
      native = null;
    },
  };
}
