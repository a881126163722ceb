// A module's life and death. A WebAssembly trap or an abort leaves the module
// in an unknown state (a lock may be held, a stack half unwound), so it is
// never called again: the module is declared dead, its threads are stopped
// without calling into it, and every later call throws "module died: ...".
// The app is told through q.onDied() and makes a new one with createQuaver().
//
// Deaths are caught where they surface:
//  - abort() on any thread: Emscripten calls Module.onAbort (a pthread posts
//    it to the main thread first);
//  - a trap during a call from JS: the Embind functions and methods of the
//    module are wrapped (guardModule) and see the WebAssembly.RuntimeError;
//  - a trap on a pthread: its worker raises an error event, which Emscripten
//    3.1.6 logs and rethrows (fatal in node: an uncaught exception); the
//    handler is replaced (hookWorkers).

/** Creates the record of one module's life. */
export function createLife() {
  const listeners = new Set();
  const life = {
    /** { reason, source, error } once dead, else null. */
    death: null,
    /** The Emscripten module, once it started. */
    module: null,
    /** Called once on death, before the listeners (the Quaver's clean-up). */
    onDeath: null,
    die(source, reason, error) {
      if (life.death) return;
      life.death = Object.freeze({ reason, source, error });
      try {
        if (life.onDeath) life.onDeath();
        else killThreads(life.module);
      } finally {
        const death = life.death;
        // Nobody listening: say it once rather than die silently.
        if (listeners.size === 0) console.error(`quaver-dsp: module died: ${death.reason}`);
        for (const listener of listeners) queueMicrotask(() => call(listener, death));
        listeners.clear();
      }
    },
    listen(listener) {
      if (life.death) {
        const death = life.death;
        queueMicrotask(() => call(listener, death));
        return () => {};
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return life;
}

function call(listener, death) {
  try {
    listener(death);
  } catch (error) {
    // A listener's error must not stop the others (nor crash node).
    console.error('quaver-dsp: an onDied listener threw:', error);
  }
}

/**
 * The Error every call on a dead module throws: "quaver-dsp: module died:
 * <reason> (<context>)", where context says which call (or job) met it.
 */
export function diedError(life, context, cause) {
  const error = new Error(
    `quaver-dsp: module died: ${life.death.reason}${context ? ` (${context})` : ''}`,
    cause === undefined ? undefined : { cause },
  );
  error.code = 'QUAVER_MODULE_DIED';
  return error;
}

// A RuntimeError is a trap or an abort. 'unwind' is what the main thread
// throws when it stops waiting on a futex because a pthread crashed.
function isFatal(error) {
  return error instanceof WebAssembly.RuntimeError || error === 'unwind';
}

function describe(error) {
  if (error === 'unwind') return 'a pthread crashed while the main thread waited on it';
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function guard(fn, what, life) {
  const guarded = function (...args) {
    if (life.death) throw diedError(life, `${what} called after the death`);
    try {
      return fn.apply(this, args);
    } catch (error) {
      if (!isFatal(error)) throw error;
      life.die('call', describe(error), error);
      throw diedError(life, `in ${what}`, error);
    }
  };
  // Embind's overload dispatchers look their table up on the current function.
  if (fn.overloadTable !== undefined) guarded.overloadTable = fn.overloadTable;
  if (fn.argCount !== undefined) guarded.argCount = fn.argCount;
  return guarded;
}

const isEmbindFunction = (value) =>
  typeof value === 'function' && (typeof value.argCount === 'number' || value.overloadTable !== undefined);
const isEmbindClass = (value) => typeof value === 'function' && typeof value.prototype?.isAliasOf === 'function';

function guardMethods(object, owner, life) {
  for (const key of Reflect.ownKeys(object)) {
    if (key === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(object, key);
    const name = `${owner}.${String(key)}`;
    if (isEmbindFunction(d.value)) {
      object[key] = guard(d.value, name, life);
    } else if (d.get || d.set) {
      Object.defineProperty(object, key, {
        ...d,
        get: d.get && guard(d.get, name, life),
        set: d.set && guard(d.set, name, life),
      });
    }
  }
}

/**
 * Wraps the module's Embind surface: free functions, classes (constructors,
 * static and instance methods) and delete(), which does nothing on a dead
 * module (its memory is gone with it) so that clean-up code can still run.
 * A wrapper costs a function call and a check per call.
 */
export function guardModule(module, life) {
  let handlePrototype = null;
  for (const key of Object.keys(module)) {
    const value = module[key];
    if (isEmbindClass(value)) {
      guardMethods(value.prototype, key, life);
      guardMethods(value, key, life);
      module[key] = new Proxy(value, {
        construct(target, args, newTarget) {
          if (life.death) throw diedError(life, `new ${key} called after the death`);
          try {
            return Reflect.construct(target, args, newTarget);
          } catch (error) {
            if (!isFatal(error)) throw error;
            life.die('call', describe(error), error);
            throw diedError(life, `in new ${key}`, error);
          }
        },
      });
      let p = value.prototype;
      while (p && !Object.prototype.hasOwnProperty.call(p, 'isAliasOf')) p = Object.getPrototypeOf(p);
      handlePrototype ??= p;
    } else if (isEmbindFunction(value)) {
      module[key] = guard(value, key, life);
    }
  }
  if (handlePrototype) {
    const remove = handlePrototype.delete;
    handlePrototype.delete = function () {
      if (life.death) return undefined;
      try {
        return remove.call(this);
      } catch (error) {
        if (!isFatal(error)) throw error;
        life.die('call', describe(error), error);
        return undefined; // a destructor that traps leaves nothing to free
      }
    };
  }
}

/**
 * Replaces the error handler of every pthread worker (Emscripten's rethrows,
 * which kills node's process) with one that declares the module dead.
 * The threaded build starts all its workers before it resolves and never
 * adds one (PTHREAD_POOL_SIZE_STRICT=2), so hooking them once is enough.
 */
export function hookWorkers(module, life) {
  const pthreads = module.PThread;
  if (!pthreads) return;
  for (const worker of [...pthreads.unusedWorkers, ...pthreads.runningWorkers]) {
    worker.onerror = (event) => {
      event?.preventDefault?.(); // browsers: handled, not reported as uncaught
      // node passes the worker's Error, browsers an ErrorEvent ("Uncaught RuntimeError: ...").
      const message = event instanceof Error ? describe(event) : String(event?.message ?? event).replace(/^Uncaught /, '');
      // An abort on a pthread posts onAbort and then throws: whichever
      // reaches this thread first reports it, the same way.
      const aborted = /Aborted\([^)]*\)/.exec(message);
      if (aborted) life.die('abort', aborted[0], event);
      else life.die('thread', `a pthread trapped: ${message}`, event);
    };
  }
}

/**
 * Stops every pthread worker of the module without calling into it (Emscripten's
 * terminateAllThreads frees each thread's data with the module's free(), which
 * could wait forever on a lock the dead thread held).
 */
export function killThreads(module) {
  const pthreads = module?.PThread;
  if (!pthreads) return;
  const workers = new Set([...pthreads.runningWorkers, ...pthreads.unusedWorkers]);
  for (const worker of workers) {
    try {
      worker.terminate();
    } catch {
      // Already gone.
    }
  }
  pthreads.runningWorkers.length = 0;
  pthreads.unusedWorkers.length = 0;
  for (const key of Object.keys(pthreads.pthreads)) delete pthreads.pthreads[key];
}

/**
 * The pool as the app sees it (q.pool): the same object behind a Proxy that,
 * once the module died, makes every method throw "module died" (terminate()
 * excepted) and rejects outstanding jobs with that error; `started` tells
 * whether the pool was used yet (its C++ side is made on first use, and
 * telemetry must not make it).
 */
export function guardPool(pool, life) {
  let started = false;
  const wrappers = new Map();
  const rejectDead = (error) => {
    throw life.death ? diedError(life, 'the job was outstanding', error) : error;
  };
  return new Proxy(pool, {
    get(target, key) {
      if (key === 'started') return started;
      const value = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(key);
      if (!wrapper) {
        const what = `pool.${String(key)}`;
        wrapper = (...args) => {
          if (key === 'terminate') return value.apply(target, args);
          if (life.death) throw diedError(life, `${what} called after the death`);
          started = true;
          const result = value.apply(target, args);
          return result instanceof Promise ? result.catch(rejectDead) : result;
        };
        wrappers.set(key, wrapper);
      }
      return wrapper;
    },
  });
}
