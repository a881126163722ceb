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
