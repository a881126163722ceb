// Ring telemetry for q.telemetry(): the fill level of every live ring a
// Quaver made, and the underruns / overruns of its audio rings.
//
// The shared ring layout has no counters, so they are kept here, per ring,
// by the views its view() returns: a read that finds fewer frames than it
// asked for is an underrun, a write that finds less room is an overrun (as
// C++ quaver::AudioRing counts them). A view attached elsewhere (a worker, an
// AudioWorklet) counts nothing here; the 'quaver-ring-reader' worklet
// reports its own underruns in its stats messages.
import { AudioRing, SpscRing, RingbufJsView } from './ring.js';

// Counter slots: events and frames, for reads then writes.
const UNDERRUNS = 0;
const UNDERRUN_FRAMES = 1;
const OVERRUNS = 2;
const OVERRUN_FRAMES = 3;

function shortest(arrays) {
  let n = 0;
  for (let c = 0; c < arrays.length; c++) if (c === 0 || arrays[c].length < n) n = arrays[c].length;
  return n;
}

/** An AudioRing view that counts its short reads and writes. */
class CountingAudioRing extends AudioRing {
  /** @type {Float64Array | null} */
  _counts = null;

  _short(slot, wanted, got) {
    if (got < wanted && this._counts !== null) {
      this._counts[slot] += 1;
      this._counts[slot + 1] += wanted - got;
    }
    return got;
  }

  push(source, count) {
    return this._short(OVERRUNS, count ?? source?.length ?? 0, super.push(source, count));
  }

  pop(target, count) {
    return this._short(UNDERRUNS, count ?? target?.length ?? 0, super.pop(target, count));
  }

  writePlanar(sources, frames) {
    const got = super.writePlanar(sources, frames);
    return this._short(OVERRUNS, frames ?? shortest(sources), got);
  }

  readPlanar(targets, frames) {
    const got = super.readPlanar(targets, frames);
    return this._short(UNDERRUNS, frames ?? shortest(targets), got);
  }
}
// Error messages name the class ("AudioRing.attach: ..."), as for a plain view.
Object.defineProperty(CountingAudioRing, 'name', { value: 'AudioRing' });

// WasmRing / WasmRingbufJsRing -> { kind, counts, probe }
const rings = new WeakMap();

/**
 * Registers a ring made by a Quaver; an audio ring's view() then returns
 * counting views. Returns the ring.
 */
export function trackRing(ring, kind) {
  const entry = { kind, counts: null, probe: null };
  if (kind === 'AudioRing') {
    const counts = new Float64Array(4);
    entry.counts = counts;
    Object.defineProperty(ring, 'view', {
      configurable: true,
      writable: true,
      value: function view() {
        const v = CountingAudioRing.attach(this.buffer, this.byteOffset);
        v._counts = counts;
        return v;
      },
    });
  }
  rings.set(ring, entry);
  return ring;
}

function probe(ring, entry) {
  // A plain view, kept to read the fill level (it moves no data).
  if (entry.probe === null) {
    if (entry.kind === 'RingbufJsRing') {
      entry.probe = new RingbufJsView(ring.buffer, Float32Array, ring.byteOffset, ring.byteLength);
    } else {
      entry.probe = (entry.kind === 'AudioRing' ? AudioRing : SpscRing).attach(ring.buffer, ring.byteOffset);
    }
  }
  return entry.probe;
}

/** Telemetry of the tracked rings among `objects` (a Quaver's live objects). */
export function ringTelemetry(objects) {
  const out = [];
  for (const ring of objects) {
    const entry = rings.get(ring);
    if (!entry) continue;
    const view = probe(ring, entry);
    const item = {
      kind: entry.kind,
      byteOffset: ring.byteOffset,
      byteLength: ring.byteLength,
      capacity: view.capacity,
      channels: view.channels ?? 1,
      availableRead: view.availableRead(),
    };
    if (entry.counts) {
      item.underruns = entry.counts[UNDERRUNS];
      item.underrunFrames = entry.counts[UNDERRUN_FRAMES];
      item.overruns = entry.counts[OVERRUNS];
      item.overrunFrames = entry.counts[OVERRUN_FRAMES];
    }
    out.push(item);
  }
  return out;
}
