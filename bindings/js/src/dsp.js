// Quaver's DSP from JS, in Web Audio's vocabulary: FFTs, an AnalyserNode-like
// spectrum analyser, the STFT, BiquadFilterNode-like filters, a parametric
// EQ and FFT convolution. Every argument is checked here (TypeError for a
// wrong type, RangeError for a wrong value), so nothing invalid reaches WASM.
// The objects own WASM memory: free them with delete() (or `using`).
//
// Views of the WASM heap (RealFFT.input and the like) stay valid for the
// module's life: the heap never grows (see README, "Builds"). A build made
// with memory growth would replace the heap's buffer, and views fetched
// before a growth would then be detached: re-read them after any allocation.
import { WasmObject } from './wasm-object.js';

const MAX_FFT_SIZE = 2 ** 24;
const MAX_CHANNELS = 32;
const MAX_BANDS = 32;
const MAX_SAMPLE_RATE = 768000; // Web Audio's upper bound for a context
// Web Audio's AudioParam ranges: gain up to 40 log10(FLT_MAX) dB, detune
// within 1200 log2(FLT_MAX) cents, Q within +-FLT_MAX.
const MAX_GAIN_DB = 1541;
const MAX_DETUNE_CENTS = 153600;
const FLT_MAX = 3.4028234663852886e38;

export const BIQUAD_TYPES = Object.freeze([
  'lowpass',
  'highpass',
  'bandpass',
  'lowshelf',
  'highshelf',
  'peaking',
  'notch',
  'allpass',
]);
export const WINDOWS = Object.freeze(['rectangular', 'hann', 'hamming', 'blackman', 'blackman-harris', 'flat-top']);

// ----------------------------------------------------------------- checks

function describe(value) {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.length})`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  return typeof value;
}

function checkNumber(where, name, value, lo, hi) {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describe(value)}`);
  if (!(value >= lo && value <= hi)) {
    throw new RangeError(`${where}: ${name} must be a finite number in [${lo}, ${hi}], got ${describe(value)}`);
  }
  return value;
}

function checkInteger(where, name, value, lo, hi) {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(`${where}: ${name} must be an integer in [${lo}, ${hi}], got ${describe(value)}`);
  }
  return value;
}

function isFastFftSize(n) {
  for (const f of [2, 3, 5]) while (n % f === 0) n /= f;
  return n === 1;
}

// Real transforms: any even length up to 2^24. Complex ones: any length up to
// 2^23 (2^a 3^b 5^c up to 2^24); lengths outside 2^a 3^b 5^c run Bluestein's
// algorithm, a few times slower than a fast length near 2n.
function checkFftSize(where, name, n, even) {
  checkInteger(where, name, n, even ? 2 : 1, MAX_FFT_SIZE);
  if (even && n % 2 !== 0) throw new RangeError(`${where}: ${name} must be even, got ${n}`);
  if (!even && n > MAX_FFT_SIZE / 2 && !isFastFftSize(n)) {
    throw new RangeError(`${where}: ${name} above 2^23 must be of the form 2^a 3^b 5^c, got ${n}`);
  }
  return n;
}

function checkFloat32(where, name, value, length) {
  if (!(value instanceof Float32Array)) throw new TypeError(`${where}: ${name} must be a Float32Array, got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${where}: ${name} must hold ${length} floats, got ${value.length}`);
  }
  return value;
}

function checkOptions(where, options, known) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${where}: unknown option '${key}' (known: ${known.join(', ')})`);
  }
  return options;
}

function checkEnum(where, name, value, values) {
  if (typeof value !== 'string') throw new TypeError(`${where}: ${name} must be a string, got ${describe(value)}`);
  const index = values.indexOf(value);
  if (index < 0) throw new RangeError(`${where}: ${name} must be one of ${values.join(', ')}, got ${describe(value)}`);
  return index;
}

function created(handle, where, what) {
  if (!handle) throw new RangeError(`${where}: ${what} does not fit in the WASM heap`);
  return handle;
}

const f32 = (q, address, length) => new Float32Array(q.module.HEAPF32.buffer, address, length);
const u8 = (q, address, length) => new Uint8Array(q.module.HEAPU8.buffer, address, length);

// ----------------------------------------------------------------- FFTs

class Fft extends WasmObject {
  constructor(q, what, handle, inputLength, outputLength) {
    super(q, what, handle);
    this._size = handle.size();
    this._input = f32(q, handle.signalAddress(), inputLength);
    this._output = f32(q, handle.spectrumAddress(), outputLength);
  }

  /** The transform length n. */
  get size() {
    this._live('size');
    return this._size;
  }

  /** The time-domain block in the WASM heap (stable: the heap never grows). */
  get input() {
    this._live('input');
    return this._input;
  }

  /** The spectrum block in the WASM heap (stable: the heap never grows). */
  get output() {
    this._live('output');
    return this._output;
  }

  /** Transforms `input` into `output`, copying nothing. */
  forwardInPlace() {
    this._live('forwardInPlace').forward();
  }

  /** Transforms the spectrum in `output` back into `input` (scaled by 1/n), copying nothing. */
  inverseInPlace() {
    this._live('inverseInPlace').inverse();
  }

  forward(x, out) {
    const handle = this._live('forward');
    checkFloat32(`${this._what}.forward`, 'x', x, this._input.length);
    if (out !== undefined) checkFloat32(`${this._what}.forward`, 'out', out, this._output.length);
    this._input.set(x);
    handle.forward();
    if (out === undefined) return this._output.slice();
    out.set(this._output);
    return out;
  }

  inverse(spectrum, out) {
    const handle = this._live('inverse');
    checkFloat32(`${this._what}.inverse`, 'spectrum', spectrum, this._output.length);
    if (out !== undefined) checkFloat32(`${this._what}.inverse`, 'out', out, this._input.length);
    this._output.set(spectrum);
    handle.inverse();
    if (out === undefined) return this._input.slice();
    out.set(this._input);
    return out;
  }
}

/** The FFT of n real samples: n/2 + 1 bins, interleaved re/im (n + 2 floats). */
export class RealFFT extends Fft {
  constructor(q, n) {
    checkFftSize('RealFFT', 'n', n, true);
    q._check('RealFFT');
    const handle = created(q.module.createRealFft(n), 'RealFFT', `a transform of ${n} points`);
    super(q, 'RealFFT', handle, n, n + 2);
  }
}

/** The FFT of n complex samples, interleaved re/im (2n floats) in and out. */
export class ComplexFFT extends Fft {
  constructor(q, n) {
    checkFftSize('ComplexFFT', 'n', n, false);
    q._check('ComplexFFT');
    const handle = created(q.module.createComplexFft(n), 'ComplexFFT', `a transform of ${n} points`);
    super(q, 'ComplexFFT', handle, 2 * n, 2 * n);
  }
}

// ----------------------------------------------------------------- convolution

const MAX_RESPONSE_LENGTH = 2 ** 23;
const MAX_CONVOLVER_BLOCK = 16384;

/**
 * Convolution with a fixed impulse response (a reverb, a cabinet, a long
 * FIR), partitioned into FFT blocks of `blockSize` frames (default 128, one
 * render quantum), and a long response's tail into blocks of 16 blockSize
 * whose work is spread over the calls: the output is the convolution
 * `blockSize` frames late, or on time with `latency: 'zero'` (the first
 * blockSize taps then run as a direct convolution, as ConvolverNode's do).
 * One channel; use one Convolver per channel.
 */
export class Convolver extends WasmObject {
  constructor(q, impulseResponse, options) {
    const where = 'Convolver';
    checkFloat32(where, 'impulseResponse', impulseResponse);
    if (impulseResponse.length < 1 || impulseResponse.length > MAX_RESPONSE_LENGTH) {
      throw new RangeError(`${where}: impulseResponse must hold 1 to 2^23 samples, got ${impulseResponse.length}`);
    }
    const o = checkOptions(where, options, ['blockSize', 'latency']);
    const blockSize = o.blockSize === undefined ? 128 : checkInteger(where, 'blockSize', o.blockSize, 2, MAX_CONVOLVER_BLOCK);
    const zeroLatency = o.latency === undefined ? false : checkEnum(where, 'latency', o.latency, ['block', 'zero']) === 1;
    if (!isFastFftSize(blockSize)) {
      throw new RangeError(`${where}: blockSize must be of the form 2^a 3^b 5^c (e.g. 128, 480, 512), got ${blockSize}`);
    }
    q._check(where);
    const length = impulseResponse.length;
    const handle = created(q.module.createConvolver(length, blockSize, zeroLatency), where, `a response of ${length} samples`);
    f32(q, handle.responseAddress(), length).set(impulseResponse);
    handle.load();
    super(q, where, handle);
    this.blockSize = blockSize;
    this.length = length;
    this.partitions = handle.partitions();
    this.tailBlockSize = handle.tailBlockSize();
    this._latency = zeroLatency ? 0 : blockSize;
    this._blockFrames = q.module.quaverConvolverBlockFrames;
    this._channels = [f32(q, handle.audioAddress(), this._blockFrames)];
  }

  /** Frames between an input and its first effect on the output: blockSize, or 0 with latency: 'zero'. */
  get latency() {
    this._live('latency');
    return this._latency;
  }

  /** Convolves the next input.length frames (any count); output may be the input itself. */
  process(input, output) {
    const handle = this._live('process');
    const where = 'Convolver.process';
    checkFloat32(where, 'input', input);
    if (output !== undefined) checkFloat32(where, 'output', output, input.length);
    const out = output ?? new Float32Array(input.length);
    runPlanar(this, [input], [out], (n) => handle.process(n));
    return out;
  }

  /** Forgets all input so far. */
  reset() {
    this._live('reset').reset();
  }
}

// ----------------------------------------------------------------- analyser

const ANALYSER_OPTIONS = ['fftSize', 'smoothingTimeConstant', 'minDecibels', 'maxDecibels'];
const ANALYSER_BLOCK = 32768;

function checkAnalyserFftSize(where, n) {
  checkInteger(where, 'fftSize', n, 32, ANALYSER_BLOCK);
  if ((n & (n - 1)) !== 0) throw new RangeError(`${where}: fftSize must be a power of two in [32, 32768], got ${n}`);
  return n;
}

function checkDecibels(where, name, value) {
  return checkNumber(where, name, value, -Number.MAX_VALUE, Number.MAX_VALUE);
}

/** An AnalyserNode computed in WASM on the samples push()ed to it. */
export class SpectrumAnalyzer extends WasmObject {
  constructor(q, options) {
    const where = 'SpectrumAnalyzer';
    const o = checkOptions(where, options, ANALYSER_OPTIONS);
    const fftSize = o.fftSize === undefined ? 2048 : checkAnalyserFftSize(where, o.fftSize);
    const smoothing =
      o.smoothingTimeConstant === undefined ? 0.8 : checkNumber(where, 'smoothingTimeConstant', o.smoothingTimeConstant, 0, 1);
    const minDb = o.minDecibels === undefined ? -100 : checkDecibels(where, 'minDecibels', o.minDecibels);
    const maxDb = o.maxDecibels === undefined ? -30 : checkDecibels(where, 'maxDecibels', o.maxDecibels);
    if (!(minDb < maxDb)) throw new RangeError(`${where}: minDecibels (${minDb}) must be less than maxDecibels (${maxDb})`);
    q._check(where);
    super(q, where, created(q.module.createSpectrumAnalyzer(fftSize, smoothing, minDb, maxDb), where, 'an analyser'));
    const handle = this._handle;
    this._floats = f32(q, handle.floatAddress(), ANALYSER_BLOCK);
    this._bytes = u8(q, handle.byteAddress(), ANALYSER_BLOCK);
    this._fftSize = fftSize;
    this._smoothing = smoothing;
    this._minDb = minDb;
    this._maxDb = maxDb;
  }

  get fftSize() {
    this._live('fftSize');
    return this._fftSize;
  }
  set fftSize(n) {
    const handle = this._live('fftSize');
    handle.setFftSize(checkAnalyserFftSize('SpectrumAnalyzer.fftSize', n));
    this._fftSize = n;
  }

  get frequencyBinCount() {
    this._live('frequencyBinCount');
    return this._fftSize / 2;
  }

  get smoothingTimeConstant() {
    this._live('smoothingTimeConstant');
    return this._smoothing;
  }
  set smoothingTimeConstant(value) {
    const handle = this._live('smoothingTimeConstant');
    handle.setSmoothingTimeConstant(checkNumber('SpectrumAnalyzer.smoothingTimeConstant', 'value', value, 0, 1));
    this._smoothing = value;
  }

  get minDecibels() {
    this._live('minDecibels');
    return this._minDb;
  }
  set minDecibels(value) {
    const handle = this._live('minDecibels');
    checkDecibels('SpectrumAnalyzer.minDecibels', 'value', value);
    if (!(value < this._maxDb)) {
      throw new RangeError(`SpectrumAnalyzer.minDecibels: ${value} must be less than maxDecibels (${this._maxDb})`);
    }
    handle.setDecibelRange(value, this._maxDb);
    this._minDb = value;
  }

  get maxDecibels() {
    this._live('maxDecibels');
    return this._maxDb;
  }
  set maxDecibels(value) {
    const handle = this._live('maxDecibels');
    checkDecibels('SpectrumAnalyzer.maxDecibels', 'value', value);
    if (!(value > this._minDb)) {
      throw new RangeError(`SpectrumAnalyzer.maxDecibels: ${value} must be greater than minDecibels (${this._minDb})`);
    }
    handle.setDecibelRange(this._minDb, value);
    this._maxDb = value;
  }

  /** Appends mono samples (only the newest 32768 are kept, as in the browser). */
  push(samples) {
    const handle = this._live('push');
    checkFloat32('SpectrumAnalyzer.push', 'samples', samples);
    const tail = samples.length > ANALYSER_BLOCK ? samples.subarray(samples.length - ANALYSER_BLOCK) : samples;
    this._floats.set(tail);
    handle.push(tail.length);
  }

  /** Writes min(array.length, frequencyBinCount) values in dB; the rest is left alone. */
  getFloatFrequencyData(array) {
    const handle = this._live('getFloatFrequencyData');
    checkFloat32('SpectrumAnalyzer.getFloatFrequencyData', 'array', array);
    const n = Math.min(array.length, this._fftSize / 2);
    handle.getFloatFrequencyData(n);
    array.set(this._floats.subarray(0, n));
  }

  /** Writes min(array.length, frequencyBinCount) bytes scaled from minDecibels (0) to maxDecibels (255). */
  getByteFrequencyData(array) {
    const handle = this._live('getByteFrequencyData');
    checkBytes('SpectrumAnalyzer.getByteFrequencyData', array);
    const n = Math.min(array.length, this._fftSize / 2);
    handle.getByteFrequencyData(n);
    array.set(this._bytes.subarray(0, n));
  }

  /** Writes the newest min(array.length, fftSize) samples, oldest first. */
  getFloatTimeDomainData(array) {
    const handle = this._live('getFloatTimeDomainData');
    checkFloat32('SpectrumAnalyzer.getFloatTimeDomainData', 'array', array);
    const n = Math.min(array.length, this._fftSize);
    handle.getFloatTimeDomainData(n);
    array.set(this._floats.subarray(0, n));
  }

  /** Writes the newest samples as bytes, 128 (1 + x) clamped to [0, 255]. */
  getByteTimeDomainData(array) {
    const handle = this._live('getByteTimeDomainData');
    checkBytes('SpectrumAnalyzer.getByteTimeDomainData', array);
    const n = Math.min(array.length, this._fftSize);
    handle.getByteTimeDomainData(n);
    array.set(this._bytes.subarray(0, n));
  }
}

function checkBytes(where, array) {
  if (!(array instanceof Uint8Array)) throw new TypeError(`${where}: array must be a Uint8Array, got ${describe(array)}`);
}

// ----------------------------------------------------------------- STFT

const STFT_OPTIONS = ['fftSize', 'hop', 'window', 'center'];
const STFT_MAX_SAMPLES = 2 ** 28;

const schedule = typeof setImmediate === 'function' ? setImmediate : (fn) => setTimeout(fn, 0);

/**
 * The magnitude STFT of a signal (frames x bins, row-major, unnormalised):
 * in the threaded build a job of q.pool (frames spread over its workers),
 * otherwise on this thread after the current task.
 */
export async function stft(q, signal, options) {
  const where = 'stft';
  checkFloat32(where, 'signal', signal);
  if (signal.length > STFT_MAX_SAMPLES) throw new RangeError(`${where}: signal must hold at most 2^28 samples, got ${signal.length}`);
  const o = checkOptions(where, options, STFT_OPTIONS);
  const fftSize = o.fftSize === undefined ? 2048 : checkFftSize(where, 'fftSize', o.fftSize, true);
  const hop = o.hop === undefined ? fftSize / 4 : checkInteger(where, 'hop', o.hop, 1, MAX_FFT_SIZE);
  const window = o.window === undefined ? 1 : checkEnum(where, 'window', o.window, WINDOWS);
  if (o.center !== undefined && typeof o.center !== 'boolean') throw new TypeError(`${where}: center must be a boolean, got ${describe(o.center)}`);
  const center = o.center ?? true;
  q._check(where);
  const module = q.module;
  const job = created(module.createStft(signal.length, fftSize, hop, window, center), where, `the STFT of ${signal.length} samples`);
  let running = false; // on a worker that may outlive a terminated pool
  try {
    f32(q, job.signalAddress(), signal.length).set(signal);
    const pool = q.pool;
    if (module.threadsEnabled() && pool?.threaded && typeof pool._runJob === 'function') {
      running = true;
      await pool._runJob('normal', job.jobAddress());
      running = false;
    } else {
      // No threads: run after the current task, so the caller still gets control first.
      await new Promise((resolve) => schedule(resolve));
      q._check(where);
      job.run();
    }
    q._check(where);
    const frames = job.frames();
    const bins = job.bins();
    const magnitudes = f32(q, job.magnitudesAddress(), frames * bins).slice();
    return { frames, bins, magnitudes };
  } catch (error) {
    running = Boolean(error?.poolTerminated); // a worker may still hold the job: leave it
    if (running && q._terminated) throw new Error('stft: the module was terminated');
    throw error;
  } finally {
    if (!q._terminated && !running) job.delete();
  }
}

// ----------------------------------------------------------------- biquads

const FILTER_PARAMS = ['type', 'frequency', 'Q', 'gain', 'detune'];

// Checks a partial set of filter parameters; returns the numeric form.
function checkFilterParams(where, p, base) {
  const out = { ...base };
  if (p.type !== undefined) out.type = checkEnum(where, 'type', p.type, BIQUAD_TYPES);
  if (p.frequency !== undefined) out.frequency = checkNumber(where, 'frequency', p.frequency, -FLT_MAX, FLT_MAX);
  if (p.Q !== undefined) out.Q = checkNumber(where, 'Q', p.Q, -FLT_MAX, FLT_MAX);
  if (p.gain !== undefined) out.gain = checkNumber(where, 'gain', p.gain, -FLT_MAX, MAX_GAIN_DB);
  if (p.detune !== undefined) out.detune = checkNumber(where, 'detune', p.detune, -MAX_DETUNE_CENTS, MAX_DETUNE_CENTS);
  return out;
}

const DEFAULT_FILTER = Object.freeze({ type: 0, frequency: 350, Q: 1, gain: 0, detune: 0 });

// Planar input: one Float32Array (channel 0) or an array of them, all as long.
function checkPlanar(where, name, value, maxChannels, exactChannels) {
  const list = value instanceof Float32Array ? [value] : value;
  if (!Array.isArray(list)) {
    throw new TypeError(`${where}: ${name} must be a Float32Array or an array of Float32Array, got ${describe(value)}`);
  }
  if (exactChannels !== undefined ? list.length !== exactChannels : list.length < 1 || list.length > maxChannels) {
    const want = exactChannels !== undefined ? `${exactChannels}` : `1 to ${maxChannels}`;
    throw new RangeError(`${where}: ${name} must hold ${want} channels, got ${list.length}`);
  }
  for (let c = 0; c < list.length; ++c) {
    if (!(list[c] instanceof Float32Array)) {
      throw new TypeError(`${where}: ${name}[${c}] must be a Float32Array, got ${describe(list[c])}`);
    }
    if (list[c].length !== list[0].length) {
      throw new RangeError(`${where}: ${name}[${c}] holds ${list[c].length} frames, ${name}[0] ${list[0].length}`);
    }
  }
  return list;
}

function checkOutput(where, input, output, single) {
  if (output === undefined) {
    const made = input.map((x) => new Float32Array(x.length));
    return { list: made, result: single ? made[0] : made };
  }
  const list = checkPlanar(where, 'output', output, input.length, input.length);
  if ((output instanceof Float32Array) !== single) {
    throw new TypeError(`${where}: output must have the shape of input (${single ? 'a Float32Array' : 'an array'})`);
  }
  if (list[0].length !== input[0].length) {
    throw new RangeError(`${where}: output must hold ${input[0].length} frames per channel, got ${list[0].length}`);
  }
  return { list, result: output };
}

// Copies planar audio through the object's heap block, block by block.
function runPlanar(object, input, output, runBlock) {
  const frames = input[0].length;
  for (let done = 0; done < frames; done += object._blockFrames) {
    const n = Math.min(object._blockFrames, frames - done);
    for (let c = 0; c < input.length; ++c) object._channels[c].set(input[c].subarray(done, done + n));
    runBlock(n);
    for (let c = 0; c < input.length; ++c) output[c].set(object._channels[c].subarray(0, n), done);
  }
}

function frequencyResponse(object, where, frequencyHz, magResponse, phaseResponse) {
  const handle = object._live('getFrequencyResponse');
  checkFloat32(where, 'frequencyHz', frequencyHz);
  checkFloat32(where, 'magResponse', magResponse);
  checkFloat32(where, 'phaseResponse', phaseResponse);
  const n = frequencyHz.length;
  if (magResponse.length < n || phaseResponse.length < n) {
    // BiquadFilterNode throws InvalidAccessError here.
    throw new RangeError(`${where}: magResponse and phaseResponse must be as long as frequencyHz (${n})`);
  }
  const points = object._responsePoints;
  for (let done = 0; done < n; done += points) {
    const k = Math.min(points, n - done);
    object._response.set(frequencyHz.subarray(done, done + k));
    handle.frequencyResponse(k);
    magResponse.set(object._response.subarray(points, points + k), done);
    phaseResponse.set(object._response.subarray(2 * points, 2 * points + k), done);
  }
}

function attachBlocks(object, q, handle, channels) {
  const m = q.module;
  object._blockFrames = m.quaverBiquadBlockFrames;
  object._responsePoints = m.quaverBiquadResponsePoints;
  const audio = handle.audioAddress();
  object._channels = Array.from({ length: channels }, (_, c) => f32(q, audio + 4 * c * object._blockFrames, object._blockFrames));
  object._response = f32(q, handle.responseAddress(), 3 * object._responsePoints);
}

function checkSampleRate(where, value) {
  if (value === undefined) return 48000;
  checkNumber(where, 'sampleRate', value, 0, MAX_SAMPLE_RATE);
  if (!(value > 0)) throw new RangeError(`${where}: sampleRate must be positive, got ${value}`);
  return value;
}

/** A BiquadFilterNode computed in WASM, for one or more planar channels. */
export class BiquadFilter extends WasmObject {
  constructor(q, options) {
    const where = 'BiquadFilter';
    const o = checkOptions(where, options, [...FILTER_PARAMS, 'sampleRate', 'channels']);
    const params = checkFilterParams(where, o, DEFAULT_FILTER);
    const sampleRate = checkSampleRate(where, o.sampleRate);
    const channels = o.channels === undefined ? 1 : checkInteger(where, 'channels', o.channels, 1, MAX_CHANNELS);
    q._check(where);
    super(q, where, created(q.module.createBiquadFilter(sampleRate, channels), where, 'a filter'));
    attachBlocks(this, q, this._handle, channels);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this._params = params;
    this._apply();
  }

  _apply() {
    const p = this._params;
    this._handle.setParams(p.type, p.frequency, p.Q, p.gain, p.detune);
  }

  _set(name, value) {
    this._live(name);
    this._params = checkFilterParams(`BiquadFilter.${name}`, { [name]: value }, this._params);
    this._apply();
  }

  get type() {
    this._live('type');
    return BIQUAD_TYPES[this._params.type];
  }
  set type(value) {
    this._set('type', value);
  }
  get frequency() {
    this._live('frequency');
    return this._params.frequency;
  }
  set frequency(value) {
    this._set('frequency', value);
  }
  get Q() {
    this._live('Q');
    return this._params.Q;
  }
  set Q(value) {
    this._set('Q', value);
  }
  get gain() {
    this._live('gain');
    return this._params.gain;
  }
  set gain(value) {
    this._set('gain', value);
  }
  get detune() {
    this._live('detune');
    return this._params.detune;
  }
  set detune(value) {
    this._set('detune', value);
  }

  /**
   * Filters one channel (a Float32Array: channel 0) or planar channels (an
   * array of up to `channels` Float32Array); output may be the input itself.
   */
  process(input, output) {
    const handle = this._live('process');
    const where = 'BiquadFilter.process';
    const list = checkPlanar(where, 'input', input, this.channels);
    const out = checkOutput(where, list, output, input instanceof Float32Array);
    runPlanar(this, list, out.list, (n) => handle.process(list.length, n));
    return out.result;
  }

  /** Clears the state of every channel. */
  reset() {
    this._live('reset').reset();
  }

  /** As BiquadFilterNode.getFrequencyResponse: NaN outside [0, sampleRate/2]. */
  getFrequencyResponse(frequencyHz, magResponse, phaseResponse) {
    frequencyResponse(this, 'BiquadFilter.getFrequencyResponse', frequencyHz, magResponse, phaseResponse);
  }
}

/**
 * Up to 32 biquad bands in series over planar channels. Changes glide over
 * `glideTime` seconds (default 0.01; 0 jumps), so that moving a band does not click.
 */
export class ParametricEQ extends WasmObject {
  constructor(q, options) {
    const where = 'ParametricEQ';
    const o = checkOptions(where, options, ['sampleRate', 'channels', 'bands', 'glideTime']);
    const sampleRate = checkSampleRate(where, o.sampleRate);
    const channels = o.channels === undefined ? 1 : checkInteger(where, 'channels', o.channels, 1, MAX_CHANNELS);
    const glide = o.glideTime === undefined ? 0.01 : checkNumber(where, 'glideTime', o.glideTime, 0, 3600);
    const bands = o.bands ?? [];
    if (!Array.isArray(bands)) throw new TypeError(`${where}: bands must be an array, got ${describe(bands)}`);
    if (bands.length > MAX_BANDS) throw new RangeError(`${where}: bands must hold at most ${MAX_BANDS} bands, got ${bands.length}`);
    const params = bands.map((band, i) => checkBand(`${where}: bands[${i}]`, band, NEUTRAL_BAND));
    q._check(where);
    super(q, where, created(q.module.createParametricEq(sampleRate, channels, bands.length, glide), where, 'an EQ'));
    attachBlocks(this, q, this._handle, channels);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this._bands = params;
    params.forEach((p, i) => this._send(i, p));
  }

  /** The number of bands. */
  get bandCount() {
    this._live('bandCount');
    return this._bands.length;
  }

  /** Band i's parameters as set. */
  getBand(i) {
    this._live('getBand');
    checkInteger('ParametricEQ.getBand', 'index', i, 0, this._bands.length - 1);
    const p = this._bands[i];
    return { type: BIQUAD_TYPES[p.type], frequency: p.frequency, Q: p.Q, gain: p.gain, detune: p.detune };
  }

  /** Moves band i to `params` (the members given; the others keep their value). */
  setBand(i, params) {
    this._live('setBand');
    const where = 'ParametricEQ.setBand';
    if (this._bands.length === 0) throw new RangeError(`${where}: this EQ has no bands`);
    checkInteger(where, 'index', i, 0, this._bands.length - 1);
    const p = checkBand(where, params, this._bands[i]);
    this._send(i, p);
    this._bands[i] = p;
  }

  _send(i, p) {
    // The queue holds 256 changes; process() drains it. Running an empty
    // block drains it here when a burst of changes filled it.
    if (!this._handle.setBand(i, p.type, p.frequency, p.Q, p.gain, p.detune)) {
      this._handle.process(0);
      this._handle.setBand(i, p.type, p.frequency, p.Q, p.gain, p.detune);
    }
  }

  /** Filters `channels` planar Float32Array (exactly `this.channels`); out may be the input itself. */
  process(input, output) {
    const handle = this._live('process');
    const where = 'ParametricEQ.process';
    const list = checkPlanar(where, 'input', input, this.channels, this.channels);
    if (input instanceof Float32Array && this.channels !== 1) {
      throw new TypeError(`${where}: input must be an array of ${this.channels} Float32Array`);
    }
    const out = checkOutput(where, list, output, input instanceof Float32Array);
    runPlanar(this, list, out.list, (n) => handle.process(n));
    return out.result;
  }

  /** Clears the filter state (e.g. after a seek). */
  reset() {
    this._live('reset').reset();
  }

  /** The response of all bands as set (the glide's destination). */
  getFrequencyResponse(frequencyHz, magResponse, phaseResponse) {
    frequencyResponse(this, 'ParametricEQ.getFrequencyResponse', frequencyHz, magResponse, phaseResponse);
  }
}

const NEUTRAL_BAND = Object.freeze({ type: 5, frequency: 1000, Q: 1, gain: 0, detune: 0 });

function checkBand(where, band, base) {
  if (band === null || typeof band !== 'object') throw new TypeError(`${where} must be an object, got ${describe(band)}`);
  checkOptions(where, band, FILTER_PARAMS);
  return checkFilterParams(where, band, base);
}

/** Attaches the DSP classes to a Quaver instance: q.RealFFT, q.stft, ... */
export function attachDsp(q) {
  const bind = (Class) =>
    // `new q.RealFFT(n)` makes a RealFFT of this module; instanceof RealFFT holds.
    Object.assign(
      function (...args) {
        if (!new.target) throw new TypeError(`${Class.name} must be called with new`);
        return new Class(q, ...args);
      },
      { prototype: Class.prototype },
    );
  q.RealFFT = bind(RealFFT);
  q.ComplexFFT = bind(ComplexFFT);
  q.SpectrumAnalyzer = bind(SpectrumAnalyzer);
  q.BiquadFilter = bind(BiquadFilter);
  q.ParametricEQ = bind(ParametricEQ);
  q.Convolver = bind(Convolver);
  q.stft = (signal, options) => stft(q, signal, options);
}
