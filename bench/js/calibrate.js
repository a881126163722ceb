// Shared by the node benchmarks.

/** Repetitions of fn that take about `ms` milliseconds. */
export function calibrate(fn, ms) {
  let reps = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; ++i) fn();
    const took = Number(process.hrtime.bigint() - t0) / 1e6;
    if (took > ms / 4) return Math.max(1, Math.round((reps * ms) / took));
    reps *= 2;
  }
}

/**
 * ns per call of each fn: the best of `rounds` rounds, every round timing one
 * batch of about `batchMs` of each fn in turn, so that a busy machine slows
 * all of them alike. Batches are short and many: on a loaded machine a longer
 * batch is almost always cut by the scheduler, and its best is then a matter
 * of luck. A warm-up of `warmupMs` per fn first lets V8 tier every module up
 * to its optimising compiler.
 */
export function bestOfRounds(fns, { warmupMs, batchMs, rounds }) {
  fns.forEach((fn) => calibrate(fn, warmupMs));
  const reps = fns.map((fn) => calibrate(fn, batchMs));
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; ++r) {
    fns.forEach((fn, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < reps[k]; ++i) fn();
      best[k] = Math.min(best[k], Number(process.hrtime.bigint() - t0) / reps[k]);
    });
  }
  return best;
}
