// quaver-dsp: real-time audio building blocks for the web, from Quaver.
export { SpscRing, AudioRing, RingbufJsView, SampleFormat, RING_MAGIC, RING_VERSION, RING_DATA_OFFSET, RING_MAX_CAPACITY } from './src/ring.js';
export { createQuaver, detectBuild, simdSupported, threadsSupported, BUILDS, Quaver } from './src/quaver.js';
export { WasmRing, WasmRingbufJsRing } from './src/wasm-object.js';

/** URL of the AudioWorklet module registering 'quaver-ring-reader' (for audioWorklet.addModule). */
export const workletUrl = new URL('./src/worklet.js', import.meta.url).href;
