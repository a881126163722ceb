// The demo's signal path, the same wherever it runs (a Worker when the page is
// cross-origin isolated, the main thread otherwise): a source (a test
// oscillator or a decoded file), Quaver's 8-band ParametricEQ, a convolution
// reverb (Quaver's Convolver, one per channel, on a synthetic room), and
// Quaver's SpectrumAnalyzer (AnalyserNode semantics) on the result.

export const BLOCK = 128; // frames per render call: one AudioWorklet quantum

// Eight bands from 60 Hz to 12 kHz, all peaking at 0 dB except the two shelves.
export const DEFAULT_BANDS = [
  { type: 'lowshelf', frequency: 60, Q: 0.7, gain: 0 },
  { type: 'peaking', frequency: 150, Q: 1, gain: 0 },
  { type: 'peaking', frequency: 400, Q: 1, gain: 0 },
  { type: 'peaking', frequency: 1000, Q: 1, gain: 0 },
  { type: 'peaking', frequency: 2500, Q: 1, gain: 0 },
  { type: 'peaking', frequency: 5000, Q: 1, gain: 0 },
  { type: 'peaking', frequency: 8000, Q: 1, gain: 0 },
  { type: 'highshelf', frequency: 12000, Q: 0.7, gain: 0 },
];

// A synthetic room: 1.5 s of noise decaying by 60 dB, different noise per
// channel (width), with a 10 ms ramp-in; scaled to about unit energy.
function roomResponse(sampleRate, seed) {
  const n = Math.round(1.5 * sampleRate);
  const h = new Float32Array(n);
  let s = seed;
  let energy = 0;
  for (let i = 0; i < n; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const ramp = Math.min(1, i / (0.01 * sampleRate));
    h[i] = (s / 2 ** 32 - 0.5) * ramp * Math.exp((-6.9 * i) / n);
    energy += h[i] * h[i];
  }
  const scale = 1 / Math.sqrt(energy);
  for (let i = 0; i < n; ++i) h[i] *= scale;
  return h;
}

export class Engine {
  constructor(q, sampleRate, { fftSize = 2048 } = {}) {
    this.sampleRate = sampleRate;
    this.eq = new q.ParametricEQ({ sampleRate, channels: 2, bands: DEFAULT_BANDS, glideTime: 0.02 });
    this.analyser = new q.SpectrumAnalyzer({ fftSize, smoothingTimeConstant: 0.6, minDecibels: -110, maxDecibels: -10 });
    // One block of latency, and a 72000-tap response in 128-frame blocks: a
    // tail of 16-block partitions keeps each render call a few microseconds.
    this.reverb = [1, 2].map((seed) => new q.Convolver(roomResponse(sampleRate, seed), { blockSize: BLOCK }));
    this.wet = 0; // reverb mix, 0 (dry) .. 1
    this.out = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
    this.reverbOut = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
    this.mono = new Float32Array(BLOCK);
    this.source = 'chord';
    this.file = null; // [left, right] Float32Array when playing a decoded file
    this.position = 0;
    this.phase = new Float64Array(4);
    this.seed = 1;
    this.frames = 0;
  }

  /** 'chord' | 'sweep' | 'noise', or { left, right } decoded samples (looped). */
  setSource(source) {
    if (typeof source === 'string') {
      this.source = source;
      this.file = null;
    } else {
      this.source = 'file';
      this.file = [source.left, source.right ?? source.left];
      this.position = 0;
    }
  }

  setBand(i, params) {
    this.eq.setBand(i, params);
  }

  /** Reverb mix, 0 (dry) .. 1 (only the reverb). */
  setReverb(wet) {
    this.wet = Math.min(1, Math.max(0, wet));
  }

  // Fills this.out with the next block of the source.
  _generate() {
    const [l, r] = this.out;
    const fs = this.sampleRate;
    if (this.source === 'file') {
      const [fl, fr] = this.file;
      for (let i = 0; i < BLOCK; ++i) {
        if (this.position >= fl.length) this.position = 0;
        l[i] = fl[this.position];
        r[i] = fr[this.position];
        this.position++;
      }
    } else if (this.source === 'noise') {
      // White noise from a small LCG: flat enough for the spectrum to show the EQ's curve.
      let s = this.seed;
      for (let i = 0; i < BLOCK; ++i) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        l[i] = r[i] = (s / 2 ** 32 - 0.5) * 0.5;
      }
      this.seed = s;
    } else if (this.source === 'sweep') {
      // A sine gliding 50 Hz -> 15 kHz and back over 8 s, exponentially.
      const p = this.phase;
      for (let i = 0; i < BLOCK; ++i) {
        const t = ((this.frames + i) / fs) % 8;
        const u = t < 4 ? t / 4 : 2 - t / 4;
        p[0] += (2 * Math.PI * 50 * 300 ** u) / fs;
        l[i] = r[i] = 0.25 * Math.sin(p[0]);
      }
      p[0] %= 2 * Math.PI;
    } else {
      // An A-minor chord of band-limited-ish sawtooths (8 harmonics each).
      const freqs = [220, 261.63, 329.63, 440];
      const p = this.phase;
      for (let i = 0; i < BLOCK; ++i) {
        let v = 0;
        for (let k = 0; k < 4; ++k) {
          p[k] += (2 * Math.PI * freqs[k]) / fs;
          for (let h = 1; h <= 8; ++h) v += Math.sin(h * p[k]) / h;
        }
        l[i] = r[i] = 0.04 * v;
      }
      for (let k = 0; k < 4; ++k) p[k] %= 2 * Math.PI;
    }
    this.frames += BLOCK;
  }

  /** Renders one block: returns [left, right] (views reused by the next call). */
  render() {
    this._generate();
    this.eq.process(this.out, this.out);
    // The convolvers run even when dry, so that turning the reverb up brings
    // in a room already ringing with what played before.
    const wet = this.wet;
    for (let c = 0; c < 2; ++c) {
      const dry = this.out[c];
      const rev = this.reverb[c].process(dry, this.reverbOut[c]);
      for (let i = 0; i < BLOCK; ++i) dry[i] += wet * (rev[i] - dry[i]);
    }
    const [l, r] = this.out;
    for (let i = 0; i < BLOCK; ++i) this.mono[i] = 0.5 * (l[i] + r[i]);
    this.analyser.push(this.mono);
    return this.out;
  }

  delete() {
    this.eq.delete();
    this.analyser.delete();
    for (const c of this.reverb) c.delete();
  }
}
