// One side (producer or consumer) of the two-worker ring benchmark in
// bench.js: the Web Worker twin of the worker_threads side in
// bench/js/ring.bench.mjs; both run bench/js/ring-side.js.
import { AudioRing } from '../../bindings/js/src/ring.js';
import { RingBuffer } from '../../node_modules/ringbuf.js/dist/index.mjs';
import { runRingSide } from '../js/ring-side.js';

onmessage = ({ data }) => {
  postMessage({ checksum: runRingSide(data, { AudioRing, RingBuffer }) });
};
