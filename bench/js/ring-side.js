// One side (producer or consumer) of the two-thread ring benchmark, shared by
// the node worker_thread (bench/js/ring.bench.mjs) and the Web Worker
// (bench/web/ring-worker.js), so both time exactly the same loop. The ring
// classes come in as arguments: node and the page import them differently.

export const FRAMES = 128;

/**
 * Moves `chunks` chunks of FRAMES frames through the ring in `buffer`,
 * starting once both sides are ready (`control`: [ready count, go flag]).
 * Chunk k carries k in its first sample; the consumer returns their sum.
 */
export function runRingSide({ impl, role, channels, chunks, buffer, control }, { AudioRing, RingBuffer }) {
  let move;
  let arrays;
  if (impl === 'quaver') {
    const ring = AudioRing.attach(buffer, 0);
    arrays = Array.from({ length: channels }, () => new Float32Array(FRAMES));
    if (channels === 1) {
      const mono = arrays[0];
      move = role === 'producer' ? () => ring.push(mono) : () => ring.pop(mono);
    } else {
      move = role === 'producer' ? () => ring.writePlanar(arrays) : () => ring.readPlanar(arrays);
    }
  } else {
    const ring = new RingBuffer(buffer, Float32Array);
    const interleaved = new Float32Array(FRAMES * channels);
    move = role === 'producer' ? () => ring.push(interleaved) : () => ring.pop(interleaved);
    arrays = [interleaved];
  }
  Atomics.add(control, 0, 1);
  Atomics.wait(control, 1, 0);
  // On a full or empty ring: spin a while, then sleep 10 us, the same for
  // both rings, so that a side waiting for the other does not take its core
  // when the machine has fewer free cores than threads.
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let checksum = 0;
  for (let k = 0; k < chunks; k++) {
    if (role === 'producer') for (const a of arrays) a[0] = k;
    let n;
    let spins = 0;
    while ((n = move()) === 0) {
      if (++spins === 256) {
        spins = 0;
        Atomics.wait(sleeper, 0, 0, 0.01);
      }
    }
    if (n !== FRAMES && n !== FRAMES * channels) throw new Error(`${impl}: partial chunk of ${n}`);
    if (role === 'consumer') checksum += arrays[0][0];
  }
  return checksum;
}
