// One side (producer or consumer) of the two-worker ring benchmark in
// bench.js, the Web Worker twin of the worker_threads side in
// bench/js/ring.bench.mjs.
import { AudioRing } from '../../bindings/js/src/ring.js';
import { RingBuffer } from '../../node_modules/ringbuf.js/dist/index.mjs';

const FRAMES = 128;

onmessage = ({ data: { impl, role, channels, chunks, buffer, control } }) => {
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
  // On a full or empty ring: spin a while, then sleep 10 us, the same for both
  // rings (as in node), so a waiting side does not hold a core the other needs.
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
  postMessage({ checksum });
};
