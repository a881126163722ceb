// Typed usage of quaver-dsp, checked with tsc --strict by types.test.mjs:
// what a TypeScript user writes must compile, and misuse must not.
import { createQuaver, detectBuild, workletUrl, AudioRing, SpscRing, RingbufJsView, SampleFormat } from 'quaver-dsp';
import type { Quaver, QuaverBuild, WasmRing, QuaverRingReaderOptions, QuaverRingReaderStats } from 'quaver-dsp';
import { AudioRing as PlainAudioRing } from 'quaver-dsp/ring';

export async function main(): Promise<void> {
  const build: QuaverBuild = detectBuild();
  const q: Quaver = await createQuaver({ build, timeoutMs: 5000, threads: 2 });
  const name: 'threads-simd' | 'simd' | 'baseline' = q.build;
  const target: string = q.simdTarget;

  const wasmRing: WasmRing<AudioRing> = q.createAudioRing(1024, 2);
  const view: AudioRing = wasmRing.view();
  const frames: number = view.writePlanar([new Float32Array(128), new Float32Array(128)]);
  const read: number = view.readPlanar([new Float32Array(128), new Float32Array(128)], 64);
  const offset: number = wasmRing.byteOffset;
  wasmRing.delete();
  {
    using ints = q.createSpscRing(16, 'int32');
    ints.view().push(new Int32Array(4));
  }

  const bytes = SpscRing.bytesRequired(256, 1, 'float64');
  const ring = SpscRing.create(new SharedArrayBuffer(bytes), 0, 256, 1, 'float64');
  ring.push(new Float64Array(8));
  const same: SpscRing = SpscRing.attach(ring.buffer, ring.byteOffset);
  const audio: AudioRing = AudioRing.create(new SharedArrayBuffer(AudioRing.bytesRequired(64, 2)), 0, 64, 2);
  const plain: PlainAudioRing = audio;
  const code: 1 = SampleFormat.float32;

  const rb = new RingbufJsView(new SharedArrayBuffer(RingbufJsView.bytesRequired(8, Float32Array)), Float32Array);
  rb.push(new Float32Array(2));

  const options: QuaverRingReaderOptions = { buffer: new SharedArrayBuffer(1024), byteOffset: 0, reportInterval: 1 };
  const onStats = (stats: QuaverRingReaderStats): number => stats.underruns + stats.framesMissing;
  const url: string = workletUrl;

  // @ts-expect-error: not a build
  await createQuaver({ build: 'avx512' });
  // @ts-expect-error: unknown option
  await createQuaver({ treads: 2 });
  // @ts-expect-error: int64 rings are not bound to WASM
  q.createSpscRing(8, 'int64');
  // @ts-expect-error: the ring's content is read into typed arrays, not plain arrays
  ring.pop([1, 2, 3]);

  q.terminate();
  void [name, target, frames, read, offset, same, plain, code, options, onStats, url];
}

// The DSP classes of a loaded module.
import type { RealFFT, SpectrumAnalyzer, Spectrogram, BiquadFilter, BiquadFilterType, ParametricEQ, Convolver } from 'quaver-dsp';

export async function dsp(q: Quaver): Promise<void> {
  const fft: RealFFT = new q.RealFFT(1024);
  const spectrum: Float32Array = fft.forward(new Float32Array(1024));
  fft.inverse(spectrum, new Float32Array(1024));
  fft.input.set(new Float32Array(1024));
  fft.forwardInPlace();
  const re0: number = fft.output[0];
  fft.delete();
  {
    using complex = new q.ComplexFFT(480);
    complex.inverse(complex.forward(new Float32Array(960)));
  }

  const analyser: SpectrumAnalyzer = new q.SpectrumAnalyzer({ fftSize: 512, smoothingTimeConstant: 0.5 });
  analyser.minDecibels = -90;
  analyser.push(new Float32Array(128));
  analyser.getByteFrequencyData(new Uint8Array(analyser.frequencyBinCount));
  analyser.getFloatTimeDomainData(new Float32Array(analyser.fftSize));

  const spec: Spectrogram = await q.stft(new Float32Array(4096), { fftSize: 256, hop: 64, window: 'hann' });
  const cell: number = spec.magnitudes[spec.bins + 1];

  const filter: BiquadFilter = new q.BiquadFilter({ type: 'peaking', frequency: 1000, Q: 2, gain: 6, sampleRate: 48000, channels: 2 });
  const type: BiquadFilterType = filter.type;
  filter.frequency = 2000;
  const one: Float32Array = filter.process(new Float32Array(128));
  const two: Float32Array[] = filter.process([new Float32Array(128), new Float32Array(128)]);
  filter.getFrequencyResponse(new Float32Array(4), new Float32Array(4), new Float32Array(4));

  const eq: ParametricEQ = new q.ParametricEQ({ sampleRate: 44100, channels: 2, bands: [{ type: 'lowshelf', frequency: 100, gain: 3 }] });
  eq.setBand(0, { gain: -3 });
  eq.process([new Float32Array(64), new Float32Array(64)]);

  const reverb: Convolver = new q.Convolver(new Float32Array(48000), { blockSize: 256 });
  const wet: Float32Array = reverb.process(new Float32Array(128));
  reverb.process(wet, wet);
  const late: number = reverb.latency + reverb.partitions + reverb.length;
  reverb.reset();
  reverb.delete();
  new q.Convolver(new Float32Array(4800), { blockSize: 128, latency: 'zero' }).delete();

  // @ts-expect-error: not a BiquadFilterNode type
  new q.BiquadFilter({ type: 'bandstop' });
  // @ts-expect-error: not a window of stft
  await q.stft(new Float32Array(8), { window: 'kaiser' });
  // @ts-expect-error: the analyser's byte data goes into a Uint8Array
  analyser.getByteFrequencyData(new Float32Array(8));
  // @ts-expect-error: frequencyBinCount is read-only
  analyser.frequencyBinCount = 4;
  // @ts-expect-error: a Convolver takes one channel
  reverb.process([new Float32Array(8)]);
  // @ts-expect-error: latency is 'block' or 'zero'
  new q.Convolver(new Float32Array(8), { latency: 0 });

  void [re0, cell, type, one, two, late];
}

// A module's death and its telemetry.
import type { QuaverDeath, QuaverTelemetry } from 'quaver-dsp';

export async function life(q: Quaver): Promise<void> {
  const t: QuaverTelemetry = q.telemetry();
  const free: number = t.memory.freeBytes;
  const underruns: number | undefined = t.rings[0]?.underruns;
  const queued = t.pool === null ? 0 : t.pool.workers;
  const stop: () => void = q.onDied((death: QuaverDeath) => {
    const why: string = death.reason;
    const where: 'call' | 'abort' | 'thread' = death.source;
    void [why, where];
  });
  stop();
  const dead: boolean = q.dead;
  const reason: string | undefined = q.deathReason;
  const restarted: Quaver | undefined = dead ? await createQuaver() : undefined;
  // @ts-expect-error: dead is read-only
  q.dead = false;
  // @ts-expect-error: the listener gets a QuaverDeath, not a string
  q.onDied((death: string) => death);
  void [free, underruns, queued, reason, restarted];
}

// The worker pool.
import type { QuaverPoolStats } from 'quaver-dsp';

export async function poolJobs(q: Quaver): Promise<void> {
  const zero: number = await q.pool.submit('high', 'empty');
  const sum: number = await q.pool.submit(2, 'sum', 1000);
  const took: number = await q.pool.submit('background', 'busy', 1e6);
  const stats: QuaverPoolStats = q.pool.stats();
  const p99: number = stats.realtime.latencyP99Ns;
  const threaded: boolean = q.pool.threaded;
  q.pool.resize(1);
  // @ts-expect-error 'sum' needs its argument
  await q.pool.submit('high', 'sum');
  // @ts-expect-error no such priority
  await q.pool.submit('urgent', 'empty');
  // @ts-expect-error no such job
  await q.pool.submit('high', 'sleep', 1);
  // @ts-expect-error the pool is not replaced
  q.pool = q.pool;
  void [zero, sum, took, p99, threaded];
}
