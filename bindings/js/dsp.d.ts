// Types of quaver-dsp's DSP classes, reached from a loaded module:
// q.RealFFT, q.ComplexFFT, q.SpectrumAnalyzer, q.stft, q.BiquadFilter, q.ParametricEQ, q.Convolver.
import type { WasmObject } from './index.js';

/** The FFT of n real samples. */
export interface RealFFT extends WasmObject {
  /** n. */
  readonly size: number;
  /** n samples in the WASM heap (stable: the heap never grows). */
  readonly input: Float32Array;
  /** n/2 + 1 bins, interleaved re/im (n + 2 floats), in the WASM heap. */
  readonly output: Float32Array;
  /** Spectrum of x (n floats): n + 2 floats, bins 0 .. n/2 interleaved re/im, unnormalised. */
  forward(x: Float32Array, out?: Float32Array): Float32Array;
  /** Signal (n floats) of a spectrum of n + 2 floats, scaled by 1/n: inverse(forward(x)) == x. */
  inverse(spectrum: Float32Array, out?: Float32Array): Float32Array;
  /** Transforms `input` into `output` without copies. */
  forwardInPlace(): void;
  /** Transforms the spectrum in `output` back into `input` (scaled by 1/n) without copies. */
  inverseInPlace(): void;
}

/** The FFT of n complex samples, interleaved re/im (2n floats). */
export interface ComplexFFT extends WasmObject {
  readonly size: number;
  readonly input: Float32Array;
  readonly output: Float32Array;
  forward(x: Float32Array, out?: Float32Array): Float32Array;
  inverse(spectrum: Float32Array, out?: Float32Array): Float32Array;
  forwardInPlace(): void;
  inverseInPlace(): void;
}

export interface SpectrumAnalyzerOptions {
  /** A power of two in [32, 32768] (default 2048). */
  fftSize?: number;
  /** In [0, 1] (default 0.8). */
  smoothingTimeConstant?: number;
  /** Default -100; must stay below maxDecibels. */
  minDecibels?: number;
  /** Default -30. */
  maxDecibels?: number;
}

/** An AnalyserNode computed in WASM on the samples pushed to it. */
export interface SpectrumAnalyzer extends WasmObject {
  fftSize: number;
  readonly frequencyBinCount: number;
  smoothingTimeConstant: number;
  minDecibels: number;
  maxDecibels: number;
  /** Appends mono samples (the newest 32768 are kept). */
  push(samples: Float32Array): void;
  getFloatFrequencyData(array: Float32Array): void;
  getByteFrequencyData(array: Uint8Array): void;
  getFloatTimeDomainData(array: Float32Array): void;
  getByteTimeDomainData(array: Uint8Array): void;
}

export type WindowName = 'rectangular' | 'hann' | 'hamming' | 'blackman' | 'blackman-harris' | 'flat-top';

export interface StftOptions {
  /** Even, up to 2^24 (default 2048); lengths outside 2^a 3^b 5^c run Bluestein's algorithm, a few times slower. */
  fftSize?: number;
  /** Samples between frames (default fftSize / 4). */
  hop?: number;
  /** Periodic window (default 'hann'). */
  window?: WindowName;
  /** Frame t centred on sample t * hop with zero padding (default true); false: whole frames from sample 0. */
  center?: boolean;
}

export interface Spectrogram {
  frames: number;
  /** fftSize / 2 + 1. */
  bins: number;
  /** frames x bins magnitudes, row-major, unnormalised. */
  magnitudes: Float32Array;
}

export type BiquadFilterType = 'lowpass' | 'highpass' | 'bandpass' | 'lowshelf' | 'highshelf' | 'peaking' | 'notch' | 'allpass';

/** BiquadFilterNode's parameters. */
export interface BiquadParameters {
  type?: BiquadFilterType;
  /** Hz (default 350 for a filter, 1000 for an EQ band). */
  frequency?: number;
  Q?: number;
  /** dB. */
  gain?: number;
  /** Cents. */
  detune?: number;
}

export interface BiquadFilterOptions extends BiquadParameters {
  /** Hz, in (0, 768000] (default 48000). */
  sampleRate?: number;
  /** Planar channels, 1 to 32 (default 1). */
  channels?: number;
}

/** A BiquadFilterNode computed in WASM. */
export interface BiquadFilter extends WasmObject {
  readonly sampleRate: number;
  readonly channels: number;
  type: BiquadFilterType;
  frequency: number;
  Q: number;
  gain: number;
  detune: number;
  /** Filters one channel or planar channels; output may be the input. */
  process(input: Float32Array, output?: Float32Array): Float32Array;
  process(input: Float32Array[], output?: Float32Array[]): Float32Array[];
  reset(): void;
  getFrequencyResponse(frequencyHz: Float32Array, magResponse: Float32Array, phaseResponse: Float32Array): void;
}

export interface ParametricEQOptions {
  sampleRate?: number;
  channels?: number;
  /** Up to 32 bands (default peaking, 1000 Hz, Q 1, 0 dB for what is left out). */
  bands?: BiquadParameters[];
  /** Seconds a change glides over (default 0.01; 0 jumps). */
  glideTime?: number;
}

/** Biquad bands in series over planar channels. */
export interface ParametricEQ extends WasmObject {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bandCount: number;
  getBand(index: number): Required<BiquadParameters>;
  setBand(index: number, params: BiquadParameters): void;
  process(input: Float32Array[], output?: Float32Array[]): Float32Array[];
  process(input: Float32Array, output?: Float32Array): Float32Array;
  reset(): void;
  getFrequencyResponse(frequencyHz: Float32Array, magResponse: Float32Array, phaseResponse: Float32Array): void;
}

export interface ConvolverOptions {
  /** Frames per FFT block (and the latency, by default): 2 to 16384, of the form 2^a 3^b 5^c (default 128). */
  blockSize?: number;
  /**
   * 'block' (default): the output is blockSize frames late. 'zero': on time,
   * as ConvolverNode's; the first blockSize taps run as a direct convolution
   * (blockSize multiply-adds per frame).
   */
  latency?: 'block' | 'zero';
}

/**
 * Convolution with a fixed impulse response, uniformly partitioned into FFT
 * blocks: the output is the convolution, blockSize frames late. One channel.
 */
export interface Convolver extends WasmObject {
  readonly blockSize: number;
  /** The impulse response's length in samples. */
  readonly length: number;
  /** Partitions of blockSize taps: ceil(length / blockSize), or the first 32 when the response has a tail. */
  readonly partitions: number;
  /**
   * 16 blockSize when the rest of a long response (about 150 blockSize taps
   * or more) is partitioned in blocks of that size, whose work is spread
   * over 16 calls of blockSize frames; 0 otherwise.
   */
  readonly tailBlockSize: number;
  /** Frames between an input and its first effect on the output: blockSize, or 0 with latency: 'zero'. */
  readonly latency: number;
  /** Convolves the next input.length frames (any count); output may be the input. */
  process(input: Float32Array, output?: Float32Array): Float32Array;
  /** Forgets all input so far. */
  reset(): void;
}

/** The DSP members of a loaded module. */
export interface QuaverDsp {
  /** n: even, 2 to 2^24. Lengths 2^a 3^b 5^c run the fast kernels, others Bluestein's algorithm. */
  RealFFT: new (n: number) => RealFFT;
  /** n: 1 to 2^23, or 2^a 3^b 5^c up to 2^24; lengths outside 2^a 3^b 5^c run Bluestein's algorithm. */
  ComplexFFT: new (n: number) => ComplexFFT;
  SpectrumAnalyzer: new (options?: SpectrumAnalyzerOptions) => SpectrumAnalyzer;
  BiquadFilter: new (options?: BiquadFilterOptions) => BiquadFilter;
  ParametricEQ: new (options?: ParametricEQOptions) => ParametricEQ;
  /** impulseResponse: 1 to 2^23 samples (RangeError if it does not fit in the WASM heap). */
  Convolver: new (impulseResponse: Float32Array, options?: ConvolverOptions) => Convolver;
  /**
   * The magnitude STFT: in the threaded build a job of q.pool (its frames spread
   * over the pool's workers; the main thread never waits), otherwise computed on
   * this thread after the current task. Rejects with the C++ message if it throws.
   */
  stft(signal: Float32Array, options?: StftOptions): Promise<Spectrogram>;
}

declare module './index.js' {
  interface Quaver extends QuaverDsp {}
}
