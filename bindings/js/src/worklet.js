// The 'quaver-ring-reader' AudioWorkletProcessor: each render quantum it
// pulls frames from a shared AudioRing (docs/ring-layout.md) into its output,
// plays silence for whatever the ring cannot supply, and counts underruns.
//
// Main thread:
//   await ctx.audioWorklet.addModule(workletUrl);
//   const node = new AudioWorkletNode(ctx, 'quaver-ring-reader', {
//     outputChannelCount: [ring.channels],
//     processorOptions: { buffer: ring.buffer, byteOffset: ring.byteOffset },
//   });
//   node.port.onmessage = (e) => console.log(e.data); // { type: 'stats', ... }
//
// processorOptions:
//   buffer          SharedArrayBuffer holding the ring (a WASM heap works too)
//   byteOffset      where the ring starts in it (default 0)
//   reportInterval  render quanta between two stats messages (default: about 250 ms);
//                   0 sends stats only when asked with port.postMessage({ type: 'report' })
import { AudioRing } from './ring.js';

class QuaverRingReader extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = options?.processorOptions ?? {};
    this._ring = AudioRing.attach(opts.buffer, opts.byteOffset ?? 0);
    const interval = opts.reportInterval ?? Math.ceil((0.25 * sampleRate) / 128);
    if (!Number.isInteger(interval) || interval < 0) {
      throw new RangeError(`quaver-ring-reader: reportInterval must be a non-negative integer, got ${String(interval)}`);
    }
    this._reportInterval = interval;
    this._sinceReport = 0;
    // Counters reported to the main thread.
    this._quanta = 0;
    this._underruns = 0; // quanta in which the ring had fewer frames than needed
    this._framesRead = 0;
    this._framesMissing = 0;
    // Preallocated so that process() allocates nothing (except the throttled report).
    this._targets = new Array(this._ring.channels);
    this._scratch = [];
    for (let c = 0; c < this._ring.channels; c++) this._scratch.push(new Float32Array(128));
    this.port.onmessage = (event) => {
      if (event.data?.type === 'report') this._report();
    };
  }

  _report() {
    this._sinceReport = 0;
    this.port.postMessage({
      type: 'stats',
      quanta: this._quanta,
      underruns: this._underruns,
      framesRead: this._framesRead,
      framesMissing: this._framesMissing,
      availableRead: this._ring.availableRead(),
    });
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const frames = out.length > 0 ? out[0].length : 128;
    const ringChannels = this._ring.channels;
    // A ring channel with no output channel is read into scratch and dropped,
    // so every channel of the ring advances together.
    for (let c = 0; c < ringChannels; c++) {
      let target = c < out.length ? out[c] : this._scratch[c];
      if (target.length < frames) target = this._scratch[c];
      this._targets[c] = target;
    }
    const got = this._ring.readPlanar(this._targets, frames);
    for (let c = 0; c < out.length; c++) {
      // Output channels beyond the ring's, and the part the ring could not fill, are silent.
      out[c].fill(0, c < ringChannels ? got : 0);
    }
    this._quanta++;
    this._framesRead += got;
    if (got < frames) {
      this._underruns++;
      this._framesMissing += frames - got;
    }
    if (this._reportInterval > 0 && ++this._sinceReport >= this._reportInterval) this._report();
    return true;
  }
}

registerProcessor('quaver-ring-reader', QuaverRingReader);
