// quaver-dsp/worklet registers the 'quaver-ring-reader' AudioWorkletProcessor
// when evaluated inside an AudioWorkletGlobalScope; it exports nothing. Load it
// with `audioWorklet.addModule(workletUrl)` (workletUrl from 'quaver-dsp').
export {};

/** processorOptions of an AudioWorkletNode for 'quaver-ring-reader'. */
export interface QuaverRingReaderOptions {
  /** The SharedArrayBuffer holding the AudioRing (a threaded build's WASM heap works too). */
  buffer: SharedArrayBuffer;
  /** Where the ring starts in `buffer` (default 0). */
  byteOffset?: number;
  /** Render quanta between two stats messages (default about 250 ms); 0: only on request. */
  reportInterval?: number;
}

/** Messages the processor posts on its port. */
export interface QuaverRingReaderStats {
  type: 'stats';
  quanta: number;
  underruns: number;
  framesRead: number;
  framesMissing: number;
  availableRead: number;
}
