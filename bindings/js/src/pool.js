// The worker pool from JS: jobs run on Quaver's C++ WorkerPool (pthreads in
// the threaded build) and come back as Promises.
//
// The main thread never blocks. submit() queues with a lock-free try-push
// through a direct WASM export (a full queue keeps the job in a JS backlog for
// the next round); results come back through a lock-free queue in the WASM
// heap plus a counter word the workers bump. While results are due soon this
// side checks the counter once per event-loop turn (setImmediate in node, a
// MessageChannel task in a page), so a result is seen within one turn instead
// of one cross-thread task hop; after POLL_MS without news it parks on the
// counter with one Atomics.waitAsync, and only then do the workers notify it
// (a short timer where waitAsync is missing). While it polls it also bumps a
// keep-warm word (PoolOptions::keep_warm): one worker then keeps spinning
// instead of parking, so the next submit needs no futex wake; the worker
// parks one spin after the bumps stop. Without threads, or with no
// workers, jobs run on this thread in slices of a few milliseconds between
// events.

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

// The quickest way back to the event loop: setImmediate in node; in a page a
// MessageChannel task (runs sooner than setTimeout(0), which has a 4 ms clamp
// once nested). Either way other tasks, timers and I/O run in between.
const hop =
  typeof setImmediate === 'function'
    ? (fn) => setImmediate(fn)
    : (() => {
        const channel = new MessageChannel();
        const queue = [];
        channel.port1.onmessage = () => queue.shift()?.();
        return (fn) => {
          queue.push(fn);
          channel.port2.postMessage(0);
        };
      })();

// How long after a submit or a completion the main thread keeps checking the
// completion counter once per event-loop turn, before it parks on it with
// Atomics.waitAsync. Polling notices a completion one turn (~2 us in node)
// after it lands; a waitAsync resolution is a task posted from the worker's
// notify to this thread, ~15-20 us in node, about what a postMessage hop
// costs. Each turn yields, so nothing waits; the price is this thread staying
// busy for up to this long after the last activity.
const POLL_MS = 0.2;
// The workers' spin before they park (WorkerPool's PoolOptions::spin_budget,
// in attempts of ~10 ns in WASM). Short on purpose: with long spins, round
// trips measured 230-500 us in most runs instead of 4 us (bench/RESULTS.md,
// "Worker pool"), most likely a spinning worker sharing a core with this
// thread's polling. A parked worker costs a futex wake per job (~10 us
// there) but is never in the way. Keep-warm uses the same budget as its
// window: the warm worker parks after SPIN_BUDGET attempts without a bump
// (as when it shares this thread's core, which then cannot bump).
const SPIN_BUDGET = 64;
const MAX_POLL_MS = 1000;

/**
 * The pool of a loaded Quaver module (createQuaver() attaches it as q.pool).
 * @param {object} module the Emscripten module (q.module)
 * @param {{ workers?: number, pollMs?: number, spinBudget?: number, keepWarm?: boolean }} [options] workers: worker
 *   threads (default: the free pthreads of the module's pool; 0 runs jobs on
 *   this thread); pollMs: how long this thread keeps checking for results
 *   between events after the last submit or result before it parks (default
 *   0.2 ms; 0 parks at once, which saves CPU and costs latency); spinBudget:
 *   the workers' spin before they park (default 64 attempts); keepWarm: while
 *   this thread polls, one worker keeps spinning instead of parking (default true)
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
  const pollMs = options.pollMs ?? POLL_MS;
  if (typeof pollMs !== 'number' || !(pollMs >= 0 && pollMs <= MAX_POLL_MS)) {
    throw new RangeError(`createPool: pollMs must be a number in [0, ${MAX_POLL_MS}], got ${String(options.pollMs)}`);
  }
  const keepWarm = options.keepWarm ?? true;
  if (typeof keepWarm !== 'boolean') {
    throw new TypeError(`createPool: keepWarm must be a boolean, got ${String(options.keepWarm)}`);
  }
  const spinBudget = options.spinBudget ?? SPIN_BUDGET;
  if (!Number.isInteger(spinBudget) || spinBudget < 0 || spinBudget > 2 ** 24) {
    throw new RangeError(`createPool: spinBudget must be an integer in [0, 2^24], got ${String(options.spinBudget)}`);
  }
  // The per-job calls are direct WASM exports (bindings/embind/pool.cpp).
  const submitJob = module._quaver_pool_submit;
  const submitObject = module._quaver_pool_submit_object;
  const drain = module._quaver_pool_drain;

  let native = null; // the C++ pool, made on first use so an unused pool takes no pthread
  let address = 0; // of the C++ JsPool, for the exports
  let counterIndex = 0; // HEAP32 index of the completion counter; + 1: the "JS waits" flag; + 2: keep-warm
  let warmIndex = -1; // HEAP32 index of the keep-warm word, or -1 when keepWarm is off
  let drainAddress = 0;
  let seen = 0; // the completion counter when last drained
  let nextId = 1;
  let terminated = false;
  let pumping = false;
  let workers = 0; // cached worker count: 0 means jobs run on this thread
  const pending = new Map(); // id -> { resolve, reject, job }
  const backlog = []; // [priority, job, arg, id, object] the C++ queue had no room for
  // The heap never grows (see build-wasm.sh), so these views stay valid.
  const heap32 = module.HEAP32;
  const heapU32 = module.HEAPU32;
  const heapF64 = module.HEAPF64;

  function ensureNative() {
    if (native) return native;
    const n = threaded ? Math.min(requested ?? freePthreads(), freePthreads()) : 0;
    native = new module.QuaverPool(n, spinBudget);
    address = native.address();
    counterIndex = native.counterAddress() >> 2;
    if (keepWarm) warmIndex = counterIndex + 2;
    drainAddress = native.drainAddress();
    workers = native.workerCount();
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

  function queue(p, job, arg, id, object) {
    return object ? submitObject(address, p, object, id) !== 0 : submitJob(address, p, job, arg, id) !== 0;
  }

  // Reads the completions C++ moved to its drain buffer: records of
  // { f64 value, u32 id, u32 ok }, 16 bytes each. Returns how many settled.
  function collect() {
    let settled = 0;
    for (;;) {
      const n = drain(address);
      if (n === 0) return settled;
      settled += n;
      for (let i = 0; i < n; ++i) {
        const at = drainAddress + i * 16;
        const id = heapU32[(at + 8) >> 2];
        const entry = pending.get(id);
        if (!entry) continue;
        pending.delete(id);
        if (heapU32[(at + 12) >> 2]) entry.resolve(heapF64[at >> 3]);
        else entry.reject(new Error(native.message(i)));
      }
    }
  }

  function flushBacklog() {
    while (backlog.length) {
      const [p, job, arg, id, object] = backlog[0];
      if (!queue(p, job, arg, id, object)) return;
      backlog.shift();
    }
  }

  // Drains completions if the counter moved since the last drain.
  function poll() {
    const now = Atomics.load(heap32, counterIndex);
    if (now === seen) return 0;
    seen = now;
    return collect();
  }

  // A pending Atomics.waitAsync does not keep node's event loop alive, so a
  // slow interval does while the loop is parked with jobs outstanding; it
  // also re-checks the queue (a safety net that costs nothing when
  // notifications arrive) and stops itself once nothing is outstanding.
  let keepAlive = null;
  function stopKeepAlive() {
    if (keepAlive !== null) clearInterval(keepAlive);
    keepAlive = null;
  }
  function startKeepAlive() {
    if (keepAlive !== null) return;
    keepAlive = setInterval(() => {
      if (terminated || pending.size === 0) return stopKeepAlive();
      flushBacklog();
      poll();
      if (pending.size === 0) stopKeepAlive();
    }, 100);
  }

  // The completion loop, alive only while jobs are outstanding (so it never
  // keeps node's event loop or a page busy for nothing). With workers: polls
  // once per event-loop turn while results are due soon (hotUntil), then
  // parks on the counter with one Atomics.waitAsync. Without: runs queued
  // jobs in slices of SLICE_MS between events.
  let hotUntil = 0;
  let parked = false; // a waitAsync is pending
  let generation = 0; // rounds (and waitAsync wake-ups) of an older loop stop
  function unpark() {
    parked = false;
    Atomics.store(heap32, counterIndex + 1, 0); // workers stop notifying
  }
  function stopPump() {
    pumping = false;
    generation += 1;
    if (parked) unpark();
  }
  function startRound() {
    const mine = generation;
    const round = () => {
      if (terminated || mine !== generation) return;
      if (workers === 0) return cooperativeRound();
      flushBacklog();
      if (poll() > 0) hotUntil = performance.now() + pollMs;
      if (pending.size === 0) return stopPump();
      if (performance.now() < hotUntil) {
        if (warmIndex >= 0) Atomics.add(heap32, warmIndex, 1); // still here: keep a worker spinning
        return hop(round);
      }
      // Park: announce the wait, then wait for the counter to move from the
      // value drained last (a completion after that drain makes waitAsync
      // return at once: its worker bumped the counter before reading the flag).
      parked = true;
      Atomics.store(heap32, counterIndex + 1, 1);
      startKeepAlive();
      const wake = () => {
        if (mine !== generation) return; // superseded by a new loop
        unpark();
        hotUntil = performance.now() + pollMs;
        round();
      };
      const result = typeof Atomics.waitAsync === 'function' ? Atomics.waitAsync(heap32, counterIndex, seen) : null;
      if (result === null) setTimeout(wake, 1);
      else if (result.async) result.value.then(wake);
      else hop(wake); // the counter moved already
    };
    const cooperativeRound = () => {
      const until = performance.now() + SLICE_MS;
      let sliceFull = false;
      while (native.runPending(1) > 0) {
        if (performance.now() >= until) {
          sliceFull = true;
          break;
        }
      }
      flushBacklog();
      collect();
      if (pending.size === 0) return stopPump();
      // After a full slice, a timer task lets the page's timers, input and
      // rendering go first (a message-channel task would outrank them).
      if (sliceFull) setTimeout(round, 0);
      else hop(round);
    };
    // With workers a round starts now (a result may be in already); jobs run
    // on this thread only in a later task, never inside submit().
    if (workers > 0) round();
    else hop(round);
  }
  // A new loop replaces the current one (whose pending waitAsync, if any,
  // then wakes into nothing).
  function restart() {
    generation += 1;
    if (parked) unpark();
    startRound();
  }
  function pump() {
    if (terminated) return;
    hotUntil = performance.now() + pollMs;
    if (warmIndex >= 0) Atomics.add(heap32, warmIndex, 1);
    if (!pumping) {
      pumping = true;
      startRound();
    } else if (parked) {
      restart(); // poll again: a result of this job is likely soon
    }
  }

  // Queues a job and returns its promise; `object` is the address of a
  // PoolJob (bindings/embind/pool_job.hpp) or 0 for a built-in job.
  function enqueue(p, job, arg, object) {
    const id = nextId;
    nextId = nextId >= 0xfffffffe ? 1 : nextId + 1;
    const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    if (backlog.length || !queue(p, job, arg, id, object)) backlog.push([p, job, arg, id, object]);
    pump();
    return promise;
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
      ensureNative();
      if (job === 'fail' && !catchesExceptions()) {
        // Built without -fexceptions a C++ throw cannot be caught: it would
        // take the whole module down, so the job is refused instead.
        return Promise.reject(new Error("pool.submit: this build cannot catch C++ exceptions, so 'fail' would abort it"));
      }
      return enqueue(p, JOBS[job], arg, 0);
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
      workers = pool.workerCount();
      if (pumping) restart(); // with no workers left, queued jobs run on this thread
    },

    /**
     * Internal (used by q.stft): runs the C++ PoolJob at `object` (see
     * bindings/embind/pool_job.hpp) on the pool. The job must stay alive
     * until the promise settles, and longer if it rejects because the pool
     * was terminated (a worker may still be running it).
     * @returns {Promise<number>}
     */
    _runJob(priority, object) {
      check('runJob');
      ensureNative();
      return enqueue(priorityCode(priority), 0, 0, object);
    },

    /** Rejects every outstanding job; the pool cannot be used afterwards. */
    terminate() {
      if (terminated) return;
      terminated = true;
      stopPump();
      stopKeepAlive();
      for (const { reject } of pending.values()) reject(Object.assign(new Error('pool terminated'), { poolTerminated: true }));
      pending.clear();
      backlog.length = 0;
      // The threaded pool's workers go with the module's pthreads; joining
      // them here would block this thread.
      if (native && !threaded) native.delete();
      native = null;
    },
  };
}
