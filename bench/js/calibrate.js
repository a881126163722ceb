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
