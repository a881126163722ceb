// Quaver's web demo: a source streamed through Quaver's 8-band ParametricEQ
// and a convolution reverb into an AudioWorklet, its spectrum drawn every
// frame, the EQ's bands dragged on the same canvas, and a telemetry panel.
//
// Cross-origin isolated (COOP + COEP): the 'threads-simd' build runs in a
// producer Worker that writes a shared AudioRing; Quaver's 'quaver-ring-reader'
// worklet plays it. Otherwise the single-threaded build runs here on the main
// thread in small chunks, posted to a small queue-playing worklet.
// In an application the imports are `quaver-dsp` (createQuaver, AudioRing,
// workletUrl) and `quaver-dsp/worklet` is the worklet module.
import { createQuaver, AudioRing, workletUrl } from '../../bindings/js/index.mjs';
import { Engine, BLOCK, DEFAULT_BANDS } from './engine.js';

const params = new URLSearchParams(location.search);
const TARGET_FRAMES = 4096; // ring fill the producer keeps: ~85 ms at 48 kHz
const FFT_SIZE = 2048;
const BINS = FFT_SIZE / 2;
const MIN_HZ = 20;
const MAX_HZ = 20000;
const MIN_DB = -110;
const MAX_DB = -10;
const GAIN_RANGE = 18; // dB each way on the EQ grid

const $ = (id) => document.getElementById(id);
const bands = DEFAULT_BANDS.map((b) => ({ ...b }));
const spectrum = new Float32Array(BINS).fill(MIN_DB);
let response = new Float32Array(0); // EQ magnitude at responseHz
const responseHz = new Float32Array(256).map((_, i) => MIN_HZ * (MAX_HZ / MIN_HZ) ** (i / 255));

// What the tests and the telemetry panel read.
const demo = (window.demo = {
  ready: false,
  error: null,
  mode: crossOriginIsolated ? 'worker + shared ring' : 'main thread + postMessage',
  build: null,
  simdTarget: null,
  threads: 0,
  sampleRate: 0,
  underruns: 0,
  quanta: 0,
  ringFill: 0,
  latencyMs: { mean: 0, worst: 0 },
  heapBytes: 0,
  framesDrawn: 0,
  spectrum,
  bands,
  setBand: (i, p) => setBand(i, p),
  setSource: (s) => host.setSource(s),
  setReverb: (wet) => host.setReverb(wet),
  /** Mean dB of the spectrum's bins within +-1/6 octave of hz. */
  levelAt(hz) {
    const binHz = demo.sampleRate / FFT_SIZE;
    const lo = Math.max(1, Math.floor((hz * 2 ** (-1 / 6)) / binHz));
    const hi = Math.min(BINS - 1, Math.ceil((hz * 2 ** (1 / 6)) / binHz));
    let sum = 0;
    for (let k = lo; k <= hi; ++k) sum += spectrum[k];
    return sum / (hi - lo + 1);
  },
});

// ----------------------------------------------------------------- hosts

// Isolated: the engine runs in producer.js; spectrum and stats in shared memory.
class WorkerHost {
  async start(ctx) {
    const channels = 2;
    const ringBuffer = new SharedArrayBuffer(AudioRing.bytesRequired(8192, channels));
    AudioRing.create(ringBuffer, 0, 8192, channels);
    this.ring = AudioRing.attach(ringBuffer, 0);
    this.shared = new Float32Array(new SharedArrayBuffer(BINS * 4)).fill(MIN_DB);
    this.stats = new Float64Array(new SharedArrayBuffer(8 * 8));
    this.worker = new Worker(new URL('./producer.js', import.meta.url), { type: 'module' });
    const ready = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'ready') resolve(data);
        else if (data.type === 'response') response = new Float32Array(data.mag);
        else if (data.type === 'error') reject(new Error(data.message));
      };
      this.worker.onerror = (e) => reject(new Error(`producer worker: ${e.message}`));
    });
    const threads = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    this.worker.postMessage({ type: 'start', sampleRate: ctx.sampleRate, ringBuffer, spectrumBuffer: this.shared.buffer, statsBuffer: this.stats.buffer, target: TARGET_FRAMES, threads });
    const info = await ready;
    this.worker.onmessage = ({ data }) => {
      if (data.type === 'response') response = new Float32Array(data.mag);
      else if (data.type === 'error') fail(new Error(data.message));
    };
    await ctx.audioWorklet.addModule(workletUrl);
    this.node = new AudioWorkletNode(ctx, 'quaver-ring-reader', {
      outputChannelCount: [channels],
      processorOptions: { buffer: ringBuffer, byteOffset: 0, reportInterval: 32 },
    });
    this.node.port.onmessage = ({ data }) => {
      if (data.type === 'stats') {
        demo.underruns = data.underruns;
        demo.quanta = data.quanta;
      }
    };
    this.node.connect(ctx.destination);
    return info;
  }
  setBand(i, p) {
    this.worker.postMessage({ type: 'band', index: i, params: p, responseHz });
  }
  setSource(source) {
    this.worker.postMessage({ type: 'source', source });
  }
  setReverb(wet) {
    this.worker.postMessage({ type: 'reverb', wet });
  }
  poll() {
    if (!this.shared) return; // not started yet
    spectrum.set(this.shared);
    demo.ringFill = this.ring.availableRead();
    demo.latencyMs = { mean: this.stats[0], worst: this.stats[1] };
  }
}

// Not isolated: the engine runs here, a few blocks every few ms.
class MainThreadHost {
  async start(ctx) {
    this.q = await createQuaver();
    this.engine = new Engine(this.q, ctx.sampleRate, { fftSize: FFT_SIZE });
    await ctx.audioWorklet.addModule(new URL('./fallback-worklet.js', import.meta.url));
    this.node = new AudioWorkletNode(ctx, 'quaver-queue-player', { outputChannelCount: [2] });
    this.sent = 0;
    this.played = 0;
    this.node.port.onmessage = ({ data }) => {
      demo.underruns = data.underruns;
      demo.quanta = data.quanta;
      this.played = data.played;
    };
    this.node.connect(ctx.destination);
    const CHUNK = 8 * BLOCK; // frames per message
    let last = performance.now();
    let worst = 0;
    let mean = 0;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - last - 5);
      last = now;
      worst = Math.max(worst * 0.995, late);
      mean = mean * 0.95 + late * 0.05;
      demo.latencyMs = { mean, worst };
      while (this.sent - this.played < TARGET_FRAMES) {
        const l = new Float32Array(CHUNK);
        const r = new Float32Array(CHUNK);
        for (let done = 0; done < CHUNK; done += BLOCK) {
          const [bl, br] = this.engine.render();
          l.set(bl, done);
          r.set(br, done);
        }
        this.node.port.postMessage([l, r], [l.buffer, r.buffer]);
        this.sent += CHUNK;
      }
      demo.ringFill = Math.max(0, this.sent - this.played);
    }, 5);
    return { build: this.q.build, simdTarget: this.q.simdTarget, threads: 1, heapBytes: this.q.memory.byteLength };
  }
  setBand(i, p) {
    this.engine.setBand(i, p);
    const mag = new Float32Array(responseHz.length);
    this.engine.eq.getFrequencyResponse(responseHz, mag, new Float32Array(responseHz.length));
    response = mag;
  }
  setSource(source) {
    this.engine.setSource(source);
  }
  setReverb(wet) {
    this.engine.setReverb(wet);
  }
  poll() {
    if (!this.engine) return; // not started yet
    this.engine.analyser.getFloatFrequencyData(spectrum);
  }
}

const host = crossOriginIsolated ? new WorkerHost() : new MainThreadHost();

function setBand(i, p) {
  Object.assign(bands[i], p);
  host.setBand(i, { ...bands[i] });
  showBands();
}

function fail(error) {
  demo.error = String(error?.stack ?? error);
  $('status').textContent = `error: ${error.message ?? error}`;
  console.error(error);
}

// ----------------------------------------------------------------- drawing

const canvas = $('canvas');
const g = canvas.getContext('2d');
const xOf = (hz) => (Math.log(hz / MIN_HZ) / Math.log(MAX_HZ / MIN_HZ)) * canvas.width;
const hzOf = (x) => MIN_HZ * (MAX_HZ / MIN_HZ) ** (x / canvas.width);
const yOfDb = (db) => ((MAX_DB - db) / (MAX_DB - MIN_DB)) * canvas.height;
const yOfGain = (gain) => canvas.height / 2 - (gain / GAIN_RANGE) * (canvas.height / 2 - 20);
const gainOf = (y) => ((canvas.height / 2 - y) / (canvas.height / 2 - 20)) * GAIN_RANGE;

function draw() {
  host.poll?.();
  const w = canvas.width;
  const h = canvas.height;
  g.fillStyle = '#10141c';
  g.fillRect(0, 0, w, h);
  g.strokeStyle = '#2a3240';
  g.fillStyle = '#6b7688';
  g.font = '11px system-ui';
  for (const hz of [50, 100, 200, 500, 1000, 2000, 5000, 10000]) {
    const x = xOf(hz);
    g.beginPath();
    g.moveTo(x, 0);
    g.lineTo(x, h);
    g.stroke();
    g.fillText(hz >= 1000 ? `${hz / 1000}k` : `${hz}`, x + 3, h - 4);
  }
  // Spectrum: one point per pixel column, the loudest bin under it.
  const binHz = demo.sampleRate / FFT_SIZE || 48000 / FFT_SIZE;
  g.beginPath();
  g.moveTo(0, h);
  for (let x = 0; x < w; ++x) {
    const k0 = Math.max(1, Math.floor(hzOf(x) / binHz));
    const k1 = Math.min(BINS - 1, Math.max(k0, Math.floor(hzOf(x + 1) / binHz)));
    let db = MIN_DB;
    for (let k = k0; k <= k1; ++k) db = Math.max(db, spectrum[k]);
    g.lineTo(x, yOfDb(db));
  }
  g.lineTo(w, h);
  g.closePath();
  g.fillStyle = 'rgba(64, 160, 255, 0.45)';
  g.fill();
  // EQ curve and band handles.
  if (response.length) {
    g.beginPath();
    for (let i = 0; i < responseHz.length; ++i) {
      const y = yOfGain(20 * Math.log10(Math.max(response[i], 1e-6)));
      if (i) g.lineTo(xOf(responseHz[i]), y);
      else g.moveTo(xOf(responseHz[i]), y);
    }
    g.strokeStyle = '#ffb347';
    g.lineWidth = 2;
    g.stroke();
    g.lineWidth = 1;
  }
  bands.forEach((b, i) => {
    g.beginPath();
    g.arc(xOf(b.frequency), yOfGain(b.gain), i === dragging ? 9 : 7, 0, 2 * Math.PI);
    g.fillStyle = i === dragging ? '#ffd27f' : '#ffb347';
    g.fill();
    g.fillStyle = '#10141c';
    g.fillText(String(i + 1), xOf(b.frequency) - 3, yOfGain(b.gain) + 4);
  });
  demo.framesDrawn++;
  requestAnimationFrame(draw);
}

// Dragging a handle moves its band: x is frequency, y is gain.
let dragging = -1;
const pointer = (e) => {
  const r = canvas.getBoundingClientRect();
  return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
};
canvas.addEventListener('pointerdown', (e) => {
  const [x, y] = pointer(e);
  let best = 20;
  dragging = -1;
  bands.forEach((b, i) => {
    const d = Math.hypot(xOf(b.frequency) - x, yOfGain(b.gain) - y);
    if (d < best) [best, dragging] = [d, i];
  });
  if (dragging >= 0) canvas.setPointerCapture(e.pointerId);
});
canvas.addEventListener('pointermove', (e) => {
  if (dragging < 0) return;
  const [x, y] = pointer(e);
  const frequency = Math.round(Math.min(MAX_HZ, Math.max(MIN_HZ, hzOf(x))));
  const gain = Math.round(Math.min(GAIN_RANGE, Math.max(-GAIN_RANGE, gainOf(y))) * 10) / 10;
  setBand(dragging, { frequency, gain });
});
canvas.addEventListener('pointerup', () => (dragging = -1));
canvas.addEventListener('wheel', (e) => {
  // The wheel over a handle changes its Q.
  const [x, y] = pointer(e);
  const i = bands.findIndex((b) => Math.hypot(xOf(b.frequency) - x, yOfGain(b.gain) - y) < 20);
  if (i < 0) return;
  e.preventDefault();
  setBand(i, { Q: Math.min(18, Math.max(0.1, bands[i].Q * (e.deltaY < 0 ? 1.1 : 1 / 1.1))) });
});

function showBands() {
  $('bands').textContent = bands
    .map((b, i) => `${i + 1} ${b.type.padEnd(9)} ${String(b.frequency).padStart(5)} Hz  ${b.gain.toFixed(1).padStart(5)} dB  Q ${b.Q.toFixed(2)}`)
    .join('\n');
}

// ----------------------------------------------------------------- telemetry

let fpsFrames = 0;
let fpsSince = performance.now();
function showTelemetry() {
  const now = performance.now();
  demo.fps = ((demo.framesDrawn - fpsFrames) * 1000) / (now - fpsSince);
  fpsFrames = demo.framesDrawn;
  fpsSince = now;
  const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const lines = [
    ['build', `${demo.build ?? '-'} (${demo.simdTarget ?? '-'})`],
    ['mode', demo.mode],
    ['workers', crossOriginIsolated ? `1 producer + ${demo.threads} WASM pthreads` : 'none (main thread)'],
    ['task latency', `${demo.latencyMs.mean.toFixed(2)} ms mean, ${demo.latencyMs.worst.toFixed(2)} ms worst (producer timer)`],
    ['ring fill', `${demo.ringFill} frames (${demo.sampleRate ? ((demo.ringFill / demo.sampleRate) * 1000).toFixed(0) : 0} ms)`],
    ['underruns', `${demo.underruns} of ${demo.quanta} quanta`],
    ['memory', `WASM heap ${mb(demo.heapBytes)}${performance.memory ? `, JS heap ${mb(performance.memory.usedJSHeapSize)}` : ''}`],
    ['spectrum', `${demo.fps.toFixed(0)} fps`],
  ];
  $('telemetry').textContent = lines.map(([k, v]) => `${k.padEnd(13)} ${v}`).join('\n');
}

// ----------------------------------------------------------------- start

let ctx;
async function start() {
  $('start').disabled = true;
  try {
    ctx = new AudioContext({ latencyHint: 'interactive' });
    const info = await host.start(ctx);
    Object.assign(demo, { build: info.build, simdTarget: info.simdTarget, threads: info.threads, heapBytes: info.heapBytes, sampleRate: ctx.sampleRate });
    const source = params.get('source');
    if (source) host.setSource(source), ($('source').value = source);
    bands.forEach((b, i) => host.setBand(i, { ...b }));
    await ctx.resume();
    demo.ready = true;
    $('status').textContent = `playing: ${demo.build} build, ${demo.mode}${crossOriginIsolated ? '' : ' (page not cross-origin isolated: fallback)'}`;
  } catch (error) {
    fail(error);
  }
}

$('start').addEventListener('click', start);
$('source').addEventListener('change', (e) => host.setSource(e.target.value));
$('reverb').addEventListener('input', (e) => host.setReverb(e.target.value / 100));
$('file').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file || !ctx) return;
  try {
    // The browser decodes; the engine gets planar float32 at the context's rate.
    const decoded = await ctx.decodeAudioData(await file.arrayBuffer());
    const left = decoded.getChannelData(0);
    const right = decoded.numberOfChannels > 1 ? decoded.getChannelData(1) : left;
    host.setSource({ left, right });
    $('status').textContent = `playing ${file.name} (${decoded.duration.toFixed(1)} s)`;
  } catch (error) {
    fail(error);
  }
});
$('status').textContent = crossOriginIsolated
  ? 'cross-origin isolated: the threads-simd build will run in a Worker. Press start.'
  : 'not cross-origin isolated: the single-threaded build will run on the main thread. Press start.';
showBands();
requestAnimationFrame(draw);
setInterval(showTelemetry, 500);
if (params.has('autostart')) start();
