// Quaver's single-producer / single-consumer rings in plain JS, over any
// ArrayBuffer or SharedArrayBuffer. No WASM: this module also runs inside an
// AudioWorkletGlobalScope.
//
// SpscRing and AudioRing use the shared layout of docs/ring-layout.md
// (version 1), so C++ (native or WASM) and JS can open the same bytes.
// RingbufJsView uses the layout of ringbuf.js 0.4.0 instead.
//
// Copies are block copies (TypedArray.prototype.set, at most two per channel
// because a run of slots wraps at most once): no per-sample loop.

export const RING_MAGIC = 0x52565551; // "QUVR" as little-endian bytes
export const RING_VERSION = 1;
export const RING_DATA_OFFSET = 192;
export const RING_MAX_CAPACITY = 2 ** 30;

// Header fields as u32 word indices (byte offset / 4).
const W_MAGIC = 0;
const W_VERSION = 1;
const W_CAPACITY = 2;
const W_CHANNELS = 3;
const W_BYTES_PER_SAMPLE = 4;
const W_SAMPLE_FORMAT = 5;
const W_DATA_OFFSET = 6;
const W_WRITE_INDEX = 16; // byte 64
const W_READ_INDEX = 32; // byte 128
const HEADER_WORDS = RING_DATA_OFFSET / 4;

/** Sample format codes of the layout, by name. */
export const SampleFormat = Object.freeze({
  opaque: 0,
  float32: 1,
  int32: 2,
  uint32: 3,
  float64: 4,
  int64: 5,
  uint64: 6,
});

const FORMAT_NAMES = ['opaque', 'float32', 'int32', 'uint32', 'float64', 'int64', 'uint64'];
const FORMAT_ARRAYS = [
  Uint8Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Float64Array,
  typeof BigInt64Array === 'function' ? BigInt64Array : undefined,
  typeof BigUint64Array === 'function' ? BigUint64Array : undefined,
];

function isBuffer(buffer) {
  return (
    buffer instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer) ||
    Object.prototype.toString.call(buffer) === '[object SharedArrayBuffer]' ||
    Object.prototype.toString.call(buffer) === '[object ArrayBuffer]'
  );
}

function checkBuffer(buffer, fn) {
  if (!isBuffer(buffer)) {
    throw new TypeError(`${fn}: buffer must be an ArrayBuffer or SharedArrayBuffer, got ${describe(buffer)}`);
  }
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

function checkByteOffset(byteOffset, fn) {
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new RangeError(`${fn}: byteOffset must be a non-negative integer, got ${String(byteOffset)}`);
  }
  if (byteOffset % 8 !== 0) {
    throw new RangeError(`${fn}: byteOffset must be a multiple of 8 (64 is better), got ${byteOffset}`);
  }
}

function checkCapacity(capacity, fn) {
  if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > RING_MAX_CAPACITY) {
    throw new RangeError(`${fn}: capacity must be an integer in [1, 2^30], got ${String(capacity)}`);
  }
  if ((capacity & (capacity - 1)) !== 0) {
    throw new RangeError(`${fn}: capacity must be a power of two, got ${capacity}`);
  }
}

function checkChannels(channels, fn) {
  if (!Number.isSafeInteger(channels) || channels < 1 || channels > 0xffff) {
    throw new RangeError(`${fn}: channels must be an integer in [1, 65535], got ${String(channels)}`);
  }
}

function formatCode(sampleFormat, fn) {
  let code;
  if (typeof sampleFormat === 'string') code = SampleFormat[sampleFormat];
  else if (Number.isInteger(sampleFormat)) code = sampleFormat;
  if (code === undefined || code < 1 || code >= FORMAT_NAMES.length) {
    throw new TypeError(
      `${fn}: sampleFormat must be one of ${FORMAT_NAMES.slice(1).join(', ')} (or its code 1..6), got ${String(sampleFormat)}`,
    );
  }
  if (FORMAT_ARRAYS[code] === undefined) {
    throw new TypeError(`${fn}: sampleFormat ${FORMAT_NAMES[code]} needs BigInt typed arrays, which this engine lacks`);
  }
  return code;
}

function checkCount(count, limit, fn, what) {
  if (!Number.isSafeInteger(count) || count < 0 || count > limit) {
    throw new RangeError(`${fn}: ${what} must be an integer in [0, ${limit}], got ${String(count)}`);
  }
}

// Creating a TypedArray view costs an allocation (and, in a worklet, garbage
// the audio thread must not make). A stream moves the same few runs of slots
// again and again (fixed 128-frame quanta visit capacity / 128 slots), so
// the views of the ring's storage are kept in a direct-mapped cache: a run
// that starts at a multiple of its length n goes to entry (start / n), so a
// fixed-size stream maps each of its runs to an entry of its own and, once
// warm, allocates nothing. The cache has capacity / 128 entries (64 to 1024):
// a ring holding more than 1024 blocks of a stream's block size allocates a
// view per read, as an uncached ring would.
const CACHE_MIN_ENTRIES = 64;
const CACHE_MAX_ENTRIES = 1024;

class ViewCache {
  constructor(storage, elementsPerItem, capacity) {
    let entries = CACHE_MIN_ENTRIES;
    while (entries < capacity / 128 && entries < CACHE_MAX_ENTRIES) entries *= 2;
    this._storage = storage;
    this._epi = elementsPerItem;
    this._mask = entries - 1;
    this._bits = Math.log2(entries);
    this._start = new Int32Array(entries).fill(-1);
    this._length = new Int32Array(entries);
    this._views = new Array(entries).fill(null);
  }

  /** The view of items [start, start + length) of the storage. */
  get(start, length) {
    const h =
      start % length === 0
        ? (start / length) & this._mask
        : (Math.imul(start, 0x9e3779b1) ^ Math.imul(length, 0x85ebca77)) >>> (32 - this._bits);
    if (this._start[h] === start && this._length[h] === length) return this._views[h];
    const view = this._storage.subarray(start * this._epi, (start + length) * this._epi);
    this._start[h] = start;
    this._length[h] = length;
    this._views[h] = view;
    return view;
  }
}

/**
 * A single-producer / single-consumer ring of `channels` channels of
 * `capacity` items each, in the shared layout. One thread (or worker, or the
 * audio thread) calls the producer methods (push, writePlanar, availableWrite),
 * one other calls the consumer methods (pop, readPlanar, availableRead).
 * Each side keeps its own JS object; objects are cheap views over the bytes.
 */
export class SpscRing {
  /**
   * Bytes a ring of this shape occupies: 192 + channels * capacity * bytes per sample.
   * @param {number} capacity items per channel, a power of two in [1, 2^30]
   * @param {number} [channels=1]
   * @param {string|number} [sampleFormat='float32']
   */
  static bytesRequired(capacity, channels = 1, sampleFormat = 'float32') {
    const fn = `${this.name}.bytesRequired`;
    checkCapacity(capacity, fn);
    checkChannels(channels, fn);
    const code = formatCode(sampleFormat, fn);
    return RING_DATA_OFFSET + channels * capacity * FORMAT_ARRAYS[code].BYTES_PER_ELEMENT;
  }

  /**
   * Writes a fresh, empty ring header at `byteOffset` of `buffer` and returns
   * a view of it. Call it once, before any other side attaches.
   */
  static create(buffer, byteOffset, capacity, channels = 1, sampleFormat = 'float32') {
    const fn = `${this.name}.create`;
    checkBuffer(buffer, fn);
    checkByteOffset(byteOffset, fn);
    const bytes = this.bytesRequired(capacity, channels, sampleFormat);
    const code = formatCode(sampleFormat, fn);
    this._checkFormat(code, fn);
    if (byteOffset + bytes > buffer.byteLength) {
      throw new RangeError(
        `${fn}: the ring needs ${bytes} bytes at offset ${byteOffset} but the buffer has ${buffer.byteLength} bytes`,
      );
    }
    const header = new Uint32Array(buffer, byteOffset, HEADER_WORDS);
    header.fill(0);
    header[W_VERSION] = RING_VERSION;
    header[W_CAPACITY] = capacity;
    header[W_CHANNELS] = channels;
    header[W_BYTES_PER_SAMPLE] = FORMAT_ARRAYS[code].BYTES_PER_ELEMENT;
    header[W_SAMPLE_FORMAT] = code;
    header[W_DATA_OFFSET] = RING_DATA_OFFSET;
    Atomics.store(header, W_WRITE_INDEX, 0);
    Atomics.store(header, W_READ_INDEX, 0);
    // Magic last: a block with a valid magic has a complete header.
    Atomics.store(header, W_MAGIC, RING_MAGIC);
    return new this(buffer, byteOffset);
  }

  /** Opens a ring that `create` (in JS or C++) wrote at `byteOffset`; validates its header. */
  static attach(buffer, byteOffset = 0) {
    return new this(buffer, byteOffset);
  }

  static _checkFormat(_code, _fn) {}

  /** @private Use create() or attach(). */
  constructor(buffer, byteOffset) {
    const fn = `${new.target.name}.attach`;
    checkBuffer(buffer, fn);
    checkByteOffset(byteOffset, fn);
    if (byteOffset + RING_DATA_OFFSET > buffer.byteLength) {
      throw new RangeError(
        `${fn}: no ring header at offset ${byteOffset}: the buffer has only ${buffer.byteLength} bytes`,
      );
    }
    const header = new Uint32Array(buffer, byteOffset, HEADER_WORDS);
    const magic = Atomics.load(header, W_MAGIC);
    if (magic !== RING_MAGIC) {
      throw new TypeError(
        `${fn}: no Quaver ring at offset ${byteOffset}: magic is 0x${magic.toString(16)}, expected 0x${RING_MAGIC.toString(16)}`,
      );
    }
    if (header[W_VERSION] !== RING_VERSION) {
      throw new TypeError(`${fn}: ring layout version ${header[W_VERSION]} is not supported (expected ${RING_VERSION})`);
    }
    const capacity = header[W_CAPACITY];
    if (capacity < 1 || capacity > RING_MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`${fn}: corrupt header: capacity ${capacity} is not a power of two in [1, 2^30]`);
    }
    const channels = header[W_CHANNELS];
    if (channels < 1) throw new RangeError(`${fn}: corrupt header: channels is 0`);
    if (header[W_DATA_OFFSET] !== RING_DATA_OFFSET) {
      throw new RangeError(`${fn}: corrupt header: data_offset is ${header[W_DATA_OFFSET]}, expected ${RING_DATA_OFFSET}`);
    }
    const code = header[W_SAMPLE_FORMAT];
    const bytesPerSample = header[W_BYTES_PER_SAMPLE];
    if (code >= FORMAT_NAMES.length) throw new TypeError(`${fn}: unknown sample_format ${code}`);
    const Type = FORMAT_ARRAYS[code];
    if (Type === undefined) throw new TypeError(`${fn}: sample_format ${FORMAT_NAMES[code]} needs BigInt typed arrays`);
    if (bytesPerSample < 1 || (code !== 0 && bytesPerSample !== Type.BYTES_PER_ELEMENT)) {
      throw new RangeError(`${fn}: corrupt header: bytes_per_sample ${bytesPerSample} does not fit ${FORMAT_NAMES[code]}`);
    }
    new.target._checkFormat(code, fn);
    const total = RING_DATA_OFFSET + channels * capacity * bytesPerSample;
    if (byteOffset + total > buffer.byteLength) {
      throw new RangeError(
        `${fn}: the ring at offset ${byteOffset} needs ${total} bytes but the buffer ends ${buffer.byteLength - byteOffset} bytes after it`,
      );
    }
    /** @readonly */ this.buffer = buffer;
    /** @readonly */ this.byteOffset = byteOffset;
    /** @readonly */ this.byteLength = total;
    /** @readonly */ this.capacity = capacity;
    /** @readonly */ this.channels = channels;
    /** @readonly */ this.sampleFormat = FORMAT_NAMES[code];
    /** @readonly Bytes of one item (sample) of one channel. */ this.bytesPerSample = bytesPerSample;
    this._header = header;
    this._mask = capacity - 1;
    // Opaque items are moved as bytes: an item is bytesPerSample elements.
    this._elementsPerItem = code === 0 ? bytesPerSample : 1;
    const channelElements = capacity * this._elementsPerItem;
    this._data = [];
    this._views = [];
    for (let c = 0; c < channels; c++) {
      const lane = new Type(buffer, byteOffset + RING_DATA_OFFSET + c * channelElements * Type.BYTES_PER_ELEMENT, channelElements);
      this._data.push(lane);
      this._views.push(new ViewCache(lane, this._elementsPerItem, capacity));
    }
    this._Type = Type;
    // Each side caches the other side's index and reloads it only when the
    // cached value does not allow the operation: that keeps the common case
    // free of cross-core traffic on the other side's cache line.
    this._cachedRead = Atomics.load(header, W_READ_INDEX);
    this._cachedWrite = Atomics.load(header, W_WRITE_INDEX);
  }

  /** Items (frames) the consumer can read now. Consumer side (also correct, if late, elsewhere). */
  availableRead() {
    // Read index first: it never passes a write index loaded after it.
    const read = Atomics.load(this._header, W_READ_INDEX);
    return Math.min((Atomics.load(this._header, W_WRITE_INDEX) - read) >>> 0, this.capacity);
  }

  /** Items (frames) the producer can write now. */
  availableWrite() {
    return this.capacity - this.availableRead();
  }

  /** @private Room for up to `wanted` items; reloads the read index only when needed. */
  _writable(write, wanted) {
    let free = this.capacity - ((write - this._cachedRead) >>> 0);
    // A negative or oversize value means the cache predates another object's
    // use of this side: reload as well.
    if (free < wanted || free > this.capacity) {
      this._cachedRead = Atomics.load(this._header, W_READ_INDEX);
      free = this.capacity - ((write - this._cachedRead) >>> 0);
      // Only a corrupt block gets here: never write outside the ring because of it.
      if (free < 0) return 0;
    }
    return free;
  }

  /** @private */
  _readable(read, wanted) {
    let avail = (this._cachedWrite - read) >>> 0;
    if (avail < wanted || avail > this.capacity) {
      this._cachedWrite = Atomics.load(this._header, W_WRITE_INDEX);
      avail = (this._cachedWrite - read) >>> 0;
      if (avail > this.capacity) return 0; // corrupt block: read nothing
    }
    return avail;
  }

  /** @private */
  _checkArray(array, fn, what) {
    if (!(array instanceof this._Type)) {
      throw new TypeError(`${fn}: ${what} must be a ${this._Type.name} for a ${this.sampleFormat} ring, got ${describe(array)}`);
    }
  }

  /**
   * Producer: appends up to `count` items of `source` (a typed array of the
   * ring's sample type) to a one-channel ring.
   * Returns the number of items written (fewer when the ring is nearly full).
   */
  push(source, count) {
    if (this.channels !== 1) throw new TypeError(`push: the ring has ${this.channels} channels; use writePlanar`);
    this._checkArray(source, 'push', 'source');
    const epi = this._elementsPerItem;
    const limit = epi === 1 ? source.length : Math.floor(source.length / epi);
    if (count === undefined) count = limit;
    else checkCount(count, limit, 'push', 'count');
    const write = Atomics.load(this._header, W_WRITE_INDEX);
    const n = Math.min(count, this._writable(write, count));
    if (n === 0) return 0;
    copyIn(this._data[0], source, write & this._mask, n, this.capacity, epi);
    Atomics.store(this._header, W_WRITE_INDEX, (write + n) >>> 0);
    return n;
  }

  /**
   * Consumer: moves up to `count` items from a one-channel ring to the start
   * of `target`. Returns the number of items read.
   */
  pop(target, count) {
    if (this.channels !== 1) throw new TypeError(`pop: the ring has ${this.channels} channels; use readPlanar`);
    this._checkArray(target, 'pop', 'target');
    const epi = this._elementsPerItem;
    const limit = epi === 1 ? target.length : Math.floor(target.length / epi);
    if (count === undefined) count = limit;
    else checkCount(count, limit, 'pop', 'count');
    const read = Atomics.load(this._header, W_READ_INDEX);
    const n = Math.min(count, this._readable(read, count));
    if (n === 0) return 0;
    copyOut(target, this._views[0], read & this._mask, n, this.capacity, epi);
    Atomics.store(this._header, W_READ_INDEX, (read + n) >>> 0);
    return n;
  }

  /** @private */
  _checkPlanar(arrays, frames, fn, what) {
    if (!Array.isArray(arrays) || arrays.length !== this.channels) {
      throw new TypeError(`${fn}: ${what} must be an array of ${this.channels} typed arrays, got ${describe(arrays)}${Array.isArray(arrays) ? ` of length ${arrays.length}` : ''}`);
    }
    const epi = this._elementsPerItem;
    // Integers only (no Infinity seed): a double here would be boxed, i.e. allocated, per call.
    let limit = 0;
    for (let c = 0; c < arrays.length; c++) {
      if (!(arrays[c] instanceof this._Type)) this._checkArray(arrays[c], fn, `${what}[${c}]`); // message built only on error
      const items = epi === 1 ? arrays[c].length : Math.floor(arrays[c].length / epi);
      if (c === 0 || items < limit) limit = items;
    }
    if (frames === undefined) return limit;
    checkCount(frames, limit, fn, 'frames');
    return frames;
  }

  /**
   * Producer: appends up to `frames` frames, channel c taken from `sources[c]`.
   * `frames` defaults to the shortest source. Returns the frames written.
   */
  writePlanar(sources, frames) {
    const count = this._checkPlanar(sources, frames, 'writePlanar', 'sources');
    const write = Atomics.load(this._header, W_WRITE_INDEX);
    const n = Math.min(count, this._writable(write, count));
    if (n === 0) return 0;
    const slot = write & this._mask;
    for (let c = 0; c < this.channels; c++) copyIn(this._data[c], sources[c], slot, n, this.capacity, this._elementsPerItem);
    Atomics.store(this._header, W_WRITE_INDEX, (write + n) >>> 0);
    return n;
  }

  /**
   * Consumer: moves up to `frames` frames to the start of `targets[c]`, one
   * array per channel. `frames` defaults to the shortest target. Returns the frames read.
   */
  readPlanar(targets, frames) {
    const count = this._checkPlanar(targets, frames, 'readPlanar', 'targets');
    const read = Atomics.load(this._header, W_READ_INDEX);
    const n = Math.min(count, this._readable(read, count));
    if (n === 0) return 0;
    const slot = read & this._mask;
    for (let c = 0; c < this.channels; c++) copyOut(targets[c], this._views[c], slot, n, this.capacity, this._elementsPerItem);
    Atomics.store(this._header, W_READ_INDEX, (read + n) >>> 0);
    return n;
  }
}

// Copies n items from source[0..n) into the channel storage starting at
// `slot`, in at most two pieces. A whole-array copy that does not wrap needs
// no subarray view at all, so the common fixed-block case allocates nothing.
function copyIn(storage, source, slot, n, capacity, epi) {
  const first = Math.min(n, capacity - slot);
  if (epi === 1) {
    if (first === source.length) storage.set(source, slot);
    else storage.set(source.subarray(0, first), slot);
    if (n > first) storage.set(source.subarray(first, n), 0);
  } else {
    storage.set(source.subarray(0, first * epi), slot * epi);
    if (n > first) storage.set(source.subarray(first * epi, n * epi), 0);
  }
}

function copyOut(target, views, slot, n, capacity, epi) {
  const first = Math.min(n, capacity - slot);
  target.set(views.get(slot, first), 0);
  if (n > first) target.set(views.get(0, n - first), first * epi);
}

/**
 * A ring of audio frames: an SpscRing whose samples are float32 (or float64).
 * `create` defaults to float32 and needs a float format.
 */
export class AudioRing extends SpscRing {
  static bytesRequired(capacity, channels = 1, sampleFormat = 'float32') {
    return super.bytesRequired(capacity, channels, sampleFormat);
  }

  static _checkFormat(code, fn) {
    if (code !== SampleFormat.float32 && code !== SampleFormat.float64) {
      throw new TypeError(`${fn}: an AudioRing holds float32 or float64 samples, not ${FORMAT_NAMES[code]}`);
    }
  }
}

const RINGBUF_DATA_OFFSET = 8;

/**
 * A view of a ring in the ringbuf.js 0.4.0 layout (u32 write index at byte 0,
 * u32 read index at byte 4, `capacity + 1` slots from byte 8, indices kept in
 * [0, capacity] and wrapped with a modulo). Quaver code can read and write a
 * ring that ringbuf.js's RingBuffer uses on the other side, and the reverse.
 */
export class RingbufJsView {
  /** Bytes ringbuf.js's RingBuffer.getStorageForCapacity(capacity, type) allocates. */
  static bytesRequired(capacity, type) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity >= 2 ** 31) {
      throw new RangeError(`RingbufJsView.bytesRequired: capacity must be an integer in [1, 2^31), got ${String(capacity)}`);
    }
    checkType(type, 'RingbufJsView.bytesRequired');
    return RINGBUF_DATA_OFFSET + (capacity + 1) * type.BYTES_PER_ELEMENT;
  }

  /**
   * @param buffer the ring's bytes; ringbuf.js itself always uses a whole SharedArrayBuffer
   * @param type typed array constructor of the items (Float32Array, ...), as passed to ringbuf.js
   * @param byteOffset start of the ring in `buffer`, a multiple of 8
   * @param byteLength the ring's size (defaults to the rest of the buffer)
   */
  constructor(buffer, type, byteOffset = 0, byteLength = undefined) {
    const fn = 'RingbufJsView';
    checkBuffer(buffer, fn);
    checkType(type, fn);
    checkByteOffset(byteOffset, fn);
    if (byteLength === undefined) byteLength = buffer.byteLength - byteOffset;
    if (!Number.isSafeInteger(byteLength) || byteLength < 0 || byteOffset + byteLength > buffer.byteLength) {
      throw new RangeError(`${fn}: byteLength ${String(byteLength)} at offset ${byteOffset} does not fit a buffer of ${buffer.byteLength} bytes`);
    }
    const slotBytes = byteLength - RINGBUF_DATA_OFFSET;
    if (slotBytes < 2 * type.BYTES_PER_ELEMENT || slotBytes % type.BYTES_PER_ELEMENT !== 0) {
      throw new RangeError(`${fn}: ${byteLength} bytes is not 8 + (capacity + 1) * ${type.BYTES_PER_ELEMENT} for any capacity >= 1`);
    }
    /** @readonly */ this.buffer = buffer;
    /** @readonly */ this.byteOffset = byteOffset;
    /** @readonly */ this.byteLength = byteLength;
    this._slots = slotBytes / type.BYTES_PER_ELEMENT;
    /** @readonly Items the ring can hold (one slot always stays empty). */
    this.capacity = this._slots - 1;
    this._Type = type;
    this._indices = new Uint32Array(buffer, byteOffset, 2); // [write, read]
    this._storage = new type(buffer, byteOffset + RINGBUF_DATA_OFFSET, this._slots);
    this._views = new ViewCache(this._storage, 1, this._slots);
  }

  availableRead() {
    const w = Atomics.load(this._indices, 0);
    const r = Atomics.load(this._indices, 1);
    return (w + this._slots - r) % this._slots;
  }

  availableWrite() {
    return this.capacity - this.availableRead();
  }

  /** Producer: appends up to `count` items of `source`; returns the number written. */
  push(source, count) {
    if (!(source instanceof this._Type)) throw new TypeError(`RingbufJsView.push: source must be a ${this._Type.name}, got ${describe(source)}`);
    if (count === undefined) count = source.length;
    else checkCount(count, source.length, 'RingbufJsView.push', 'count');
    const w = Atomics.load(this._indices, 0);
    const r = Atomics.load(this._indices, 1);
    const n = Math.min(count, this.capacity - (w + this._slots - r) % this._slots);
    if (n === 0) return 0;
    const first = Math.min(n, this._slots - w);
    this._storage.set(first === source.length ? source : source.subarray(0, first), w);
    if (n > first) this._storage.set(source.subarray(first, n), 0);
    Atomics.store(this._indices, 0, (w + n) % this._slots);
    return n;
  }

  /** Consumer: moves up to `count` items to the start of `target`; returns the number read. */
  pop(target, count) {
    if (!(target instanceof this._Type)) throw new TypeError(`RingbufJsView.pop: target must be a ${this._Type.name}, got ${describe(target)}`);
    if (count === undefined) count = target.length;
    else checkCount(count, target.length, 'RingbufJsView.pop', 'count');
    const w = Atomics.load(this._indices, 0);
    const r = Atomics.load(this._indices, 1);
    const n = Math.min(count, (w + this._slots - r) % this._slots);
    if (n === 0) return 0;
    const first = Math.min(n, this._slots - r);
    target.set(this._views.get(r, first), 0);
    if (n > first) target.set(this._views.get(0, n - first), first);
    Atomics.store(this._indices, 1, (r + n) % this._slots);
    return n;
  }
}

function checkType(type, fn) {
  if (typeof type !== 'function' || !Number.isInteger(type.BYTES_PER_ELEMENT)) {
    throw new TypeError(`${fn}: type must be a typed array constructor such as Float32Array, got ${describe(type)}`);
  }
}
