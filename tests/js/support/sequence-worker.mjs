// A node worker that writes, or reads and checks, the self-test sequence of
// quaver-dsp's SequenceTask (frame i, channel c holds (i + 4099 c) mod 2^24)
// through a shared AudioRing, as an AudioWorklet or a JS producer would.
import { parentPort, workerData } from 'node:worker_threads';
import { AudioRing } from '../../../bindings/js/src/ring.js';

const { buffer, byteOffset, total, chunk, mode } = workerData;
const ring = AudioRing.attach(buffer, byteOffset);
const channels = ring.channels;
const arrays = Array.from({ length: channels }, () => new Float32Array(chunk));
const value = (i, c) => (i + c * 4099) & 0xffffff;
// On an empty or full ring, spin a little, then sleep briefly: the other end
// may be waiting for this core.
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let spins = 0;
function idle() {
  if (++spins > 64) {
    spins = 0;
    Atomics.wait(sleeper, 0, 0, 0.05);
  }
}
let done = 0;
let mismatches = 0;
let firstMismatch = -1;

if (mode === 'write') {
  while (done < total) {
    const n = Math.min(chunk, total - done);
    for (let c = 0; c < channels; c++) for (let i = 0; i < n; i++) arrays[c][i] = value(done + i, c);
    let written = 0;
    let from = arrays;
    while (written < n) {
      const w = ring.writePlanar(from, n - written);
      if (w === 0) {
        idle();
        continue;
      }
      written += w;
      // A partial write leaves the rest for the next try.
      if (written < n) from = arrays.map((a) => a.subarray(written));
    }
    done += n;
  }
} else {
  while (done < total) {
    const n = ring.readPlanar(arrays, Math.min(chunk, total - done));
    if (n === 0) {
      idle();
      continue;
    }
    for (let c = 0; c < channels; c++) {
      const a = arrays[c];
      for (let i = 0; i < n; i++) {
        if (a[i] !== value(done + i, c)) {
          if (mismatches++ === 0) firstMismatch = done + i;
        }
      }
    }
    done += n;
  }
}
parentPort.postMessage({ done, mismatches, firstMismatch });
