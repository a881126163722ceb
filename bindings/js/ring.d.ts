// Types of quaver-dsp/ring: the plain-JS rings (no WASM).

/** Sample format names of the shared ring layout (docs/ring-layout.md). */
export type SampleFormatName = 'float32' | 'int32' | 'uint32' | 'float64' | 'int64' | 'uint64';
/** Codes of the layout's `sample_format` field; 0 (opaque) only comes from C++. */
export declare const SampleFormat: Readonly<{
  opaque: 0;
  float32: 1;
  int32: 2;
  uint32: 3;
  float64: 4;
  int64: 5;
  uint64: 6;
}>;

export declare const RING_MAGIC: number;
export declare const RING_VERSION: number;
export declare const RING_DATA_OFFSET: number;
export declare const RING_MAX_CAPACITY: number;

export type RingBuffer = ArrayBuffer | SharedArrayBuffer;
export type RingTypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Uint8Array;

/**
 * A single-producer / single-consumer ring in the shared layout: `channels`
 * channel-planar lanes of `capacity` items. One side calls the producer
 * methods, one other side the consumer methods; each keeps its own object.
 */
export declare class SpscRing<A extends RingTypedArray = RingTypedArray> {
  /** Bytes a ring of this shape occupies: 192 + channels * capacity * bytes per sample. */
  static bytesRequired(capacity: number, channels?: number, sampleFormat?: SampleFormatName | number): number;
  /** Writes an empty ring at `byteOffset` (a multiple of 8) and returns a view of it. */
  static create(
    buffer: RingBuffer,
    byteOffset: number,
    capacity: number,
    channels?: number,
    sampleFormat?: SampleFormatName | number,
  ): SpscRing;
  /** Opens a ring created in JS or C++; throws TypeError / RangeError on a mismatch. */
  static attach(buffer: RingBuffer, byteOffset?: number): SpscRing;
  /** Use create() or attach(). */
  protected constructor(buffer: RingBuffer, byteOffset: number);

  readonly buffer: RingBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
  /** Items per channel (a power of two). */
  readonly capacity: number;
  readonly channels: number;
  readonly sampleFormat: SampleFormatName | 'opaque';
  readonly bytesPerSample: number;

  /** Items (frames) ready to read. */
  availableRead(): number;
  /** Items (frames) free to write. */
  availableWrite(): number;
  /** Producer, one-channel ring: appends up to `count` items; returns how many. */
  push(source: A, count?: number): number;
  /** Consumer, one-channel ring: moves up to `count` items to the start of `target`; returns how many. */
  pop(target: A, count?: number): number;
  /** Producer: appends up to `frames` frames, one array per channel; returns how many. */
  writePlanar(sources: readonly A[], frames?: number): number;
  /** Consumer: moves up to `frames` frames to the start of each channel's array; returns how many. */
  readPlanar(targets: readonly A[], frames?: number): number;
}

/** An SpscRing of audio frames: float32 (default) or float64 samples. */
export declare class AudioRing extends SpscRing<Float32Array | Float64Array> {
  static bytesRequired(capacity: number, channels?: number, sampleFormat?: 'float32' | 'float64' | 1 | 4): number;
  static create(
    buffer: RingBuffer,
    byteOffset: number,
    capacity: number,
    channels?: number,
    sampleFormat?: 'float32' | 'float64' | 1 | 4,
  ): AudioRing;
  static attach(buffer: RingBuffer, byteOffset?: number): AudioRing;
}

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor;

/** A ring in the ringbuf.js 0.4.0 layout, interoperable with ringbuf.js's RingBuffer. */
export declare class RingbufJsView<C extends TypedArrayConstructor = Float32ArrayConstructor> {
  /** Bytes ringbuf.js allocates for `capacity` items: 8 + (capacity + 1) * BYTES_PER_ELEMENT. */
  static bytesRequired(capacity: number, type: TypedArrayConstructor): number;
  constructor(buffer: RingBuffer, type: C, byteOffset?: number, byteLength?: number);
  readonly buffer: RingBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
  /** Items the ring holds when full. */
  readonly capacity: number;
  availableRead(): number;
  availableWrite(): number;
  push(source: InstanceType<C>, count?: number): number;
  pop(target: InstanceType<C>, count?: number): number;
}
