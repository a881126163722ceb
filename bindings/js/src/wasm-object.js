// JS owners of objects that live in the WASM heap. Each must be freed with
// delete() (or `using`); a use after delete throws, and one collected by the
// garbage collector without delete() is reported as a leak.
import { AudioRing, SpscRing, RingbufJsView } from './ring.js';

// Quaver -> Set of WeakRefs to its live objects (weak, so that a forgotten
// object can still be collected and reported).
const owned = new WeakMap();

const leaks =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ what, live, ref }) => {
        live.delete(ref);
        console.warn(`quaver-dsp: a ${what} was garbage-collected without delete(); its WASM memory leaked`);
      })
    : null;

/** Live objects of a Quaver instance (those not deleted yet). */
export function ownedObjects(q) {
  return [...(owned.get(q) ?? [])].map((ref) => ref.deref()).filter((object) => object !== undefined);
}

export class WasmObject {
  constructor(q, what, handle) {
    this._q = q;
    this._what = what;
    this._handle = handle;
    if (!owned.has(q)) owned.set(q, new Set());
    this._ref = new WeakRef(this);
    owned.get(q).add(this._ref);
    leaks?.register(this, { what, live: owned.get(q), ref: this._ref }, this);
  }

  /** True once delete() ran. */
  get deleted() {
    return this._handle === null;
  }

  _live(member) {
    if (this._handle === null) throw new Error(`quaver-dsp: ${this._what}.${member} used after delete()`);
    return this._handle;
  }

  /** Frees the WASM memory. Safe to call twice. */
  delete() {
    if (this._handle === null) return;
    this._handle.delete();
    this._handle = null;
    owned.get(this._q)?.delete(this._ref);
    leaks?.unregister(this);
  }

  [Symbol.dispose]() {
    this.delete();
  }
}

/** A block of bytes in the WASM heap that JS, workers and worklets can view. */
class WasmBlock extends WasmObject {
  constructor(q, name, handle) {
    super(q, name, handle);
    this._byteOffset = handle.byteOffset();
    this._byteLength = handle.byteLength();
  }

  /** The WASM heap the block lives in (a SharedArrayBuffer in the threaded build). */
  get buffer() {
    this._live('buffer');
    return this._q.module.HEAPU8.buffer;
  }

  /** Where the block starts in `buffer` (64-byte aligned). */
  get byteOffset() {
    this._live('byteOffset');
    return this._byteOffset;
  }

  /** The block's size in bytes (header included). */
  get byteLength() {
    this._live('byteLength');
    return this._byteLength;
  }
}

/**
 * A ring in the WASM heap, laid out by C++ (quaver::SpscRingView). JS opens
 * the same bytes with view(); so can a worker or an AudioWorklet, given
 * `buffer` (the heap, a SharedArrayBuffer in the threaded build) and `byteOffset`.
 */
export class WasmRing extends WasmBlock {
  constructor(q, kind, capacity, channels, format) {
    const handle = q.module.createRingBlock(capacity, channels, format);
    if (!handle) {
      throw new RangeError(`quaver-dsp: ${kind} of ${capacity} x ${channels} does not fit in the WASM heap (${q.module.HEAPU8.length} bytes)`);
    }
    super(q, `Wasm${kind}`, handle);
    this._kind = kind === 'AudioRing' ? AudioRing : SpscRing;
  }

  /** A plain-JS view (AudioRing or SpscRing) of the ring's bytes. */
  view() {
    return this._kind.attach(this.buffer, this.byteOffset);
  }
}

/**
 * A float32 ring in the ringbuf.js 0.4.0 layout, in the WASM heap (C++
 * quaver::RingbufJsView); view() opens it with Quaver's JS RingbufJsView.
 */
export class WasmRingbufJsRing extends WasmBlock {
  constructor(q, capacity) {
    const handle = q.module.createRingbufJsBlock(capacity);
    if (!handle) throw new RangeError(`quaver-dsp: a ringbuf.js ring of ${capacity} items does not fit in the WASM heap`);
    super(q, 'WasmRingbufJsRing', handle);
    this.capacity = capacity;
  }

  view() {
    return new RingbufJsView(this.buffer, Float32Array, this.byteOffset, this.byteLength);
  }
}
