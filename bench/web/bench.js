// Quaver's web benchmarks, run in one page: the FFT, the parametric EQ, the
// convolver and the JS audio ring against their usual web peers. Results use
// the kernel names of the native and node benchmarks (kernel/impl/param, ns
// per operation) so that bench/report.mjs puts them side by side.
// window.quaverBench holds the state run-chromium.mjs waits for:
// { done, error, results, userAgent, build }.
import { createQuaver } from '../../bindings/js/index.mjs';
import { AudioRing } from '../../bindings/js/src/ring.js';
import { RingBuffer } from '../../node_modules/ringbuf.js/dist/index.mjs';
import { EQ_BANDS, EQ_RATE as RATE } from '../js/eq-bands.js';

const params = new URLSearchParams(location.search);
const quick = params.has('quick');
const only = params.get('only'); // e.g. ?only=fft_real to run one family
const results = [];
const state = (window.quaverBench = { done: false, error: null, results, userAgent: navigator.userAgent, quick });

const statusLine = document.getElementById('status');
const logBox = document.getElementById('log');
function progress(text) {
  statusLine.textContent = text;
  logBox.textContent += `${text}\n`;
  logBox.scrollTop = logBox.scrollHeight;
  console.log(`[bench] ${text}`);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

function noise(n, seed = 12345) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = seed / 2 ** 31 - 1;
  }
  return x;
}

// Repetitions of fn that take about `ms` milliseconds. It first runs fn for
// a while: Chromium compiles WASM with its baseline tier first and swaps in
// the optimised code later, so early calls are several times slower.
function calibrate(fn, ms) {
  const warmUntil = performance.now() + (quick ? 40 : 150);
  while (performance.now() < warmUntil) for (let i = 0; i < 16; ++i) fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; ++i) fn();
    const took = performance.now() - t0;
    if (took > ms / 4) return Math.max(1, Math.round((reps * ms) / took));
    reps *= 2;
  }
}

// ns per call of each fn: the best of several rounds, each round timing one
// batch of every fn in turn, so a busy machine slows all of them alike (the
// same scheme as bench/js/fft.bench.mjs). Batches are long enough for the
// page's coarse clock (5 us when cross-origin isolated).
async function timeAll(fns) {
  const batchMs = quick ? 10 : 30;
  const rounds = quick ? 5 : 9;
  const reps = fns.map((fn) => calibrate(fn, batchMs));
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; ++r) {
    for (let k = 0; k < fns.length; ++k) {
      const t0 = performance.now();
      for (let i = 0; i < reps[k]; ++i) fns[k]();
      best[k] = Math.min(best[k], ((performance.now() - t0) * 1e6) / reps[k]);
    }
    await pause(); // keep the page responsive
  }
  return best;
}

function record(kernel, impl, param, ns) {
  results.push({ kernel, impl, param: String(param), ns });
}

// --------------------------------------------------------------- CommonJS peers

// fft.js and kissfft-wasm ship CommonJS only: fetch a module and its relative
// requires, then evaluate them with a small synchronous require. One cache
// for the page, so that two entry points share their modules (kissfft-wasm's
// index.js and wasm.js must see the same WASM instance).
const cjsSources = new Map();
const cjsCache = new Map();
async function loadCommonJs(url) {
  const sources = cjsSources;
  const fetchTree = async (href) => {
    if (sources.has(href)) return;
    sources.set(href, null);
    const response = await fetch(href);
    if (!response.ok) throw new Error(`cannot load ${href}: HTTP ${response.status}`);
    const text = await response.text();
    sources.set(href, text);
    const deps = [...text.matchAll(/require\(["'](\.{1,2}\/[^"']+)["']\)/g)].map((m) => resolveCjs(m[1], href));
    await Promise.all(deps.map(fetchTree));
  };
  const resolveCjs = (spec, from) => new URL(/\.(c?js|json)$/.test(spec) ? spec : `${spec}.js`, from).href;
  const cache = cjsCache;
  const requireFrom = (from) => (spec) => {
    if (!spec.startsWith('.')) return {}; // node built-ins: unused in a browser
    const href = resolveCjs(spec, from);
    if (cache.has(href)) return cache.get(href).exports;
    const module = { exports: {} };
    cache.set(href, module);
    const dir = href.slice(0, href.lastIndexOf('/') + 1);
    new Function('exports', 'require', 'module', '__filename', '__dirname', sources.get(href))(
      module.exports, requireFrom(href), module, href, dir);
    return module.exports;
  };
  const href = new URL(url, location.href).href;
  await fetchTree(href);
  return requireFrom(href)(`./${href.slice(href.lastIndexOf('/') + 1)}`);
}

// --------------------------------------------------------------- FFT

async function benchFft(quavers) {
  const FFT = await loadCommonJs('../../node_modules/fft.js/lib/fft.js');
  const kiss = await loadCommonJs('../../node_modules/kissfft-wasm/lib/index.js');
  const kissWasm = await loadCommonJs('../../node_modules/kissfft-wasm/lib/wasm.js');
  await kissWasm.waitLoading();
  const { default: PFFFT } = await import('../../node_modules/@echogarden/pffft-wasm/dist/simd/pffft.js');
  const pffft = await PFFFT();

  const quaverCase = (q) => (n, x) => {
    const fft = new q.RealFFT(n);
    fft.input.set(x);
    return { run: () => fft.forwardInPlace(), free: () => fft.delete() };
  };
  const pffftCase = (n, x) => {
    const setup = pffft._pffft_new_setup(n, 0); // PFFFT_REAL
    const [inPtr, outPtr, work] = [0, 1, 2].map(() => pffft._pffft_aligned_malloc(4 * n));
    pffft.HEAPF32.set(x, inPtr >> 2);
    return {
      run: () => pffft._pffft_transform_ordered(setup, inPtr, outPtr, work, 0), // PFFFT_FORWARD
      free: () => {
        pffft._pffft_destroy_setup(setup);
        for (const p of [inPtr, outPtr, work]) pffft._pffft_aligned_free(p);
      },
    };
  };
  const kissCase = (n, x) => {
    const cfg = new kiss.RealFFTConfig(n);
    const input = new kiss.RealArray(n);
    kissWasm.wasm.HEAPF32.set(x, input.pointer >> 2);
    const output = new kiss.ComplexArray(n); // its API wants n bins (fills n/2 + 1)
    return { run: () => cfg.work(input, output), free: () => { cfg.free(); input.free(); output.free(); } };
  };
  const fftjsCase = (n, x) => {
    const f = new FFT(n);
    const out = f.createComplexArray();
    const input = Array.from(x);
    return { run: () => f.realTransform(out, input), free: () => {} };
  };

  const impls = [];
  // "quaver" is the SIMD128 build, "quaver_portable" the baseline build (no
  // SIMD), as in bench/js/fft.bench.mjs. Here they run through the package's
  // RealFFT (Embind) on data already in the heap.
  if (quavers.simd?.RealFFT) impls.push(['quaver', quaverCase(quavers.simd)]);
  if (quavers.baseline?.RealFFT) impls.push(['quaver_portable', quaverCase(quavers.baseline)]);
  if (!impls.length) progress('fft_real: this quaver-dsp build has no RealFFT; peers only');
  impls.push(['pffft_wasm_simd', pffftCase], ['kissfft_wasm', kissCase], ['fftjs', fftjsCase]);

  const sizes = quick ? [256, 1024, 4096] : [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];
  for (const n of sizes) {
    const x = noise(n);
    const cases = impls.map(([, make]) => make(n, x));
    const times = await timeAll(cases.map((c) => c.run));
    impls.forEach(([name], k) => {
      cases[k].free();
      record('fft_real', name, n, times[k]);
    });
    progress(`fft_real n=${n}: ${impls.map(([name], k) => `${name} ${times[k].toFixed(0)} ns`).join(', ')}`);
  }
}

// --------------------------------------------------------------- EQ

const QUANTUM = 128;

// The render time of an OfflineAudioContext graph: source -> insert(ctx) ->
// destination, or source -> destination when insert is null. A family takes
// the difference of the two, i.e. the inserted nodes' own cost. Nodes are
// built before the clock starts. Returns [ms, rendered AudioBuffer].
async function renderMs(frames, input, insert) {
  const ctx = new OfflineAudioContext(input.numberOfChannels, frames, RATE);
  const source = new AudioBufferSourceNode(ctx, { buffer: input });
  let tail = source;
  for (const node of insert ? insert(ctx) : []) {
    tail.connect(node);
    tail = node;
  }
  tail.connect(ctx.destination);
  source.start();
  const t0 = performance.now();
  const rendered = await ctx.startRendering();
  return [performance.now() - t0, rendered];
}

// The best render of each graph over `rounds`, then the difference, per
// 128-frame quantum: on a busy machine a difference per round can come out
// negative.
async function nodeNsPerQuantum(frames, rounds, input, insert) {
  let full = Infinity;
  let empty = Infinity;
  await renderMs(RATE / 4, input, insert); // warm up
  for (let r = 0; r < rounds; ++r) {
    full = Math.min(full, (await renderMs(frames, input, insert))[0]);
    empty = Math.min(empty, (await renderMs(frames, input, null))[0]);
  }
  return (Math.max(0, full - empty) * 1e6) / (frames / QUANTUM);
}

// Chromium's BiquadFilterNode chain: 8 filters, stereo.
// The same parameters as Quaver's bands (quaver-dsp follows Web Audio's).
const eqChain = (ctx) =>
  EQ_BANDS.map((b) => new BiquadFilterNode(ctx, { type: b.type, frequency: b.frequency, Q: b.Q, gain: b.gain }));

async function benchEq(quavers) {
  const frames = RATE * (quick ? 4 : 8);
  const rounds = quick ? 3 : 5;
  const input = new AudioBuffer({ numberOfChannels: 2, length: frames, sampleRate: RATE });
  input.copyToChannel(noise(frames, 1), 0);
  input.copyToChannel(noise(frames, 2), 1);
  const ns = await nodeNsPerQuantum(frames, rounds, input, eqChain);
  record('eq_cascade', 'webaudio_biquadfilternode', `8/${QUANTUM}`, ns);

  for (const [impl, q] of [['quaver', quavers.simd], ['quaver_portable', quavers.baseline]]) {
    if (!q?.ParametricEQ) continue;
    // As an AudioWorklet would: one 128-frame stereo block per call, planar.
    const eq = new q.ParametricEQ({ sampleRate: RATE, channels: 2, bands: EQ_BANDS, glideTime: 0 });
    const block = [noise(QUANTUM, 3), noise(QUANTUM, 4)];
    const out = [new Float32Array(QUANTUM), new Float32Array(QUANTUM)];
    const [ns] = await timeAll([() => eq.process(block, out)]);
    eq.delete();
    record('eq_cascade', impl, `8/${QUANTUM}`, ns);
  }
  const row = results.filter((r) => r.kernel === 'eq_cascade');
  progress(`eq_cascade 8 bands, stereo, per 128-frame quantum: ${row.map((r) => `${r.impl} ${r.ns.toFixed(0)} ns`).join(', ')}`);
}

// --------------------------------------------------------------- convolver

// Quaver's Convolver against Chromium's ConvolverNode, mono, per 128-frame
// quantum, for a response of 1 s and one of 0.1 s at 48 kHz (decaying noise).
// The two are different algorithms, so this is a peer, not a like-for-like
// kernel: Quaver partitions the response uniformly (overlap-save, blockSize
// 128: each quantum does one 256-point FFT pair and a multiply-add over all
// ceil(taps / 128) partitions; 128 frames of latency), while Chromium's
// ReverbConvolver partitions it non-uniformly (a direct-convolution head, then
// FFT stages whose sizes double, up to 32768 frames; no latency). In a realtime
// AudioContext Chromium runs the later stages on a background thread; in the
// OfflineAudioContext used here every stage runs on the rendering thread, so
// the render time is the node's whole cost.
const CONVOLVER_TAPS = [48000, 4800];

function decayingNoise(taps, seed) {
  const ir = noise(taps, seed);
  for (let i = 0; i < taps; ++i) ir[i] *= Math.exp((-6.9 * i) / taps); // -60 dB at the end
  return ir;
}

function monoBuffer(samples) {
  const buffer = new AudioBuffer({ numberOfChannels: 1, length: samples.length, sampleRate: RATE });
  buffer.copyToChannel(samples, 0);
  return buffer;
}

const convolverNode = (irBuffer) => (ctx) => [new ConvolverNode(ctx, { buffer: irBuffer, disableNormalization: true })];

// Not timed: Quaver's output for the same input and response against the
// node's rendered output, over the whole response and beyond. Quaver's output
// is 128 frames late (unless latency is 'zero'), so quaverOut[t + 128] is
// compared with nodeOut[t]. Returns max |difference| / max |nodeOut|.
async function convolverMismatch(q, ir, irBuffer, latency = 'block') {
  const frames = Math.ceil((ir.length + 4096) / QUANTUM) * QUANTUM;
  const x = noise(frames, 7);
  const [, rendered] = await renderMs(frames, monoBuffer(x), convolverNode(irBuffer));
  const want = rendered.getChannelData(0);
  const conv = new q.Convolver(ir, { blockSize: QUANTUM, latency });
  const late = conv.latency;
  const got = new Float32Array(frames);
  for (let t = 0; t < frames; t += QUANTUM) conv.process(x.subarray(t, t + QUANTUM), got.subarray(t, t + QUANTUM));
  conv.delete();
  let peak = 0;
  let diff = 0;
  for (let t = 0; t + late < frames; ++t) {
    peak = Math.max(peak, Math.abs(want[t]));
    diff = Math.max(diff, Math.abs(got[t + late] - want[t]));
  }
  return diff / peak;
}

async function benchConvolver(quavers) {
  // Whole periods of the node's largest stage (32768-point FFTs every 16384
  // frames): about 4 s of audio, 2 s with ?quick.
  const frames = 16384 * (quick ? 6 : 12);
  const rounds = quick ? 3 : 5;
  const input = monoBuffer(noise(frames, 5));
  const impls = [['quaver', quavers.simd], ['quaver_portable', quavers.baseline]].filter(([, q]) => q?.Convolver);
  if (!impls.length) progress('convolver: this quaver-dsp build has no Convolver; ConvolverNode only');
  for (const taps of CONVOLVER_TAPS) {
    const param = `${QUANTUM}/${taps}`; // B/L, as the native convolution_bench
    const ir = decayingNoise(taps, 6);
    const irBuffer = monoBuffer(ir);
    const checks = [];
    for (const [impl, q] of impls) checks.push(`${impl} ${(await convolverMismatch(q, ir, irBuffer)).toExponential(1)}`);
    if (quavers.simd?.Convolver) {
      checks.push(`quaver_zero_latency ${(await convolverMismatch(quavers.simd, ir, irBuffer, 'zero')).toExponential(1)}`);
    }

    record('convolver', 'webaudio_convolvernode', param, await nodeNsPerQuantum(frames, rounds, input, convolverNode(irBuffer)));
    // As an AudioWorklet would: one 128-frame mono block per call.
    const block = noise(QUANTUM, 8);
    const out = new Float32Array(QUANTUM);
    // Also Quaver with no latency, as the node (quaver_zero_latency, simd build).
    const timed = [...impls.map(([impl, q]) => [impl, q, 'block'])];
    if (quavers.simd?.Convolver) timed.push(['quaver_zero_latency', quavers.simd, 'zero']);
    const convs = timed.map(([, q, latency]) => new q.Convolver(ir, { blockSize: QUANTUM, latency }));
    const times = await timeAll(convs.map((c) => () => c.process(block, out)));
    timed.forEach(([impl], k) => {
      convs[k].delete();
      record('convolver', impl, param, times[k]);
    });
    const row = results.filter((r) => r.kernel === 'convolver' && r.param === param);
    progress(
      `convolver ${taps} taps, mono, per 128-frame quantum: ${row.map((r) => `${r.impl} ${r.ns.toFixed(0)} ns`).join(', ')}` +
        (checks.length ? `; output vs ConvolverNode, max |diff| / peak: ${checks.join(', ')}` : ''),
    );
  }
}

// --------------------------------------------------------------- rings

const FRAMES = 128;
const CAPACITY = 4096;

// One thread pushes a chunk and pops it back: the code's own cost (as in
// bench/js/ring.bench.mjs, audio_ring_js_one_thread).
async function benchRingOneThread() {
  const chunks = quick ? 50_000 : 200_000;
  for (const channels of [1, 2]) {
    const moves = {};
    {
      const ring = AudioRing.create(new SharedArrayBuffer(AudioRing.bytesRequired(CAPACITY, channels)), 0, CAPACITY, channels);
      const planar = Array.from({ length: channels }, () => new Float32Array(FRAMES));
      moves.quaver = channels === 1 ? () => ring.push(planar[0]) + ring.pop(planar[0]) : () => ring.writePlanar(planar) + ring.readPlanar(planar);
    }
    {
      const ring = new RingBuffer(new SharedArrayBuffer(8 + (CAPACITY * channels + 1) * 4), Float32Array);
      const interleaved = new Float32Array(FRAMES * channels);
      moves['ringbuf.js'] = () => ring.push(interleaved) + ring.pop(interleaved);
    }
    const times = { quaver: [], 'ringbuf.js': [] };
    for (let run = 0; run < (quick ? 3 : 5); ++run) {
      for (const impl of run % 2 ? ['ringbuf.js', 'quaver'] : ['quaver', 'ringbuf.js']) {
        const move = moves[impl];
        for (let k = 0; k < 10_000; k++) move();
        const t0 = performance.now();
        for (let k = 0; k < chunks; k++) move();
        times[impl].push(((performance.now() - t0) * 1e6) / chunks);
        await pause();
      }
    }
    for (const [impl, list] of Object.entries(times)) {
      list.sort((a, b) => a - b);
      record('audio_ring_js_one_thread', impl, `${FRAMES}f_${channels}ch`, list[list.length >> 1]);
    }
  }
}

// Two Web Workers, a producer and a consumer, move `chunks` 128-frame chunks
// through one ring (as in bench/js/ring.bench.mjs, audio_ring_js).
async function measureTwoWorkers(impl, channels, chunks) {
  const bytes = impl === 'quaver' ? AudioRing.bytesRequired(CAPACITY, channels) : 8 + (CAPACITY * channels + 1) * 4;
  const buffer = new SharedArrayBuffer(bytes);
  if (impl === 'quaver') AudioRing.create(buffer, 0, CAPACITY, channels);
  const control = new Int32Array(new SharedArrayBuffer(8)); // [ready count, go]
  const workers = [];
  const start = (role) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./ring-worker.js', import.meta.url), { type: 'module' });
      workers.push(worker);
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(`ring worker: ${e.message}`));
      worker.postMessage({ impl, role, channels, chunks, buffer, control });
    });
  const consumer = start('consumer');
  const producer = start('producer');
  while (Atomics.load(control, 0) < 2) await new Promise((r) => setTimeout(r, 1));
  const t0 = performance.now();
  Atomics.store(control, 1, 1);
  Atomics.notify(control, 1);
  const [consumed] = await Promise.all([consumer, producer]);
  const elapsed = performance.now() - t0;
  for (const w of workers) w.terminate();
  if (consumed.checksum !== (chunks * (chunks - 1)) / 2) throw new Error(`${impl}: wrong data crossed the ring`);
  return (elapsed * 1e6) / chunks;
}

async function benchRingTwoWorkers() {
  if (!crossOriginIsolated) {
    progress('audio_ring_js: skipped (the page is not cross-origin isolated: no SharedArrayBuffer between workers)');
    return;
  }
  const chunks = quick ? 20_000 : 100_000;
  const runs = quick ? 3 : 5;
  for (const channels of [1, 2]) {
    const times = { quaver: [], 'ringbuf.js': [] };
    for (let run = 0; run < runs; run++) {
      for (const impl of run % 2 ? ['ringbuf.js', 'quaver'] : ['quaver', 'ringbuf.js']) {
        times[impl].push(await measureTwoWorkers(impl, channels, chunks));
      }
    }
    for (const [impl, list] of Object.entries(times)) {
      list.sort((a, b) => a - b);
      record('audio_ring_js', impl, `${FRAMES}f_${channels}ch`, list[list.length >> 1]);
    }
  }
}

// --------------------------------------------------------------- table

function fmt(ns) {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} us` : `${ns.toFixed(1)} ns`;
}

function showTable() {
  const body = document.querySelector('#table tbody');
  body.textContent = '';
  const groups = new Map();
  for (const r of results) {
    const key = `${r.kernel}\u0000${r.param}`;
    if (!groups.has(key)) groups.set(key, { kernel: r.kernel, param: r.param, impls: [] });
    groups.get(key).impls.push(r);
  }
  for (const g of groups.values()) {
    const own = g.impls.filter((r) => r.impl.startsWith('quaver'));
    const base = own.find((r) => r.impl === 'quaver') ?? own[0];
    const tr = document.createElement('tr');
    tr.dataset.kernel = g.kernel;
    const cells = [g.kernel, g.param, own.map((r) => (r.impl === 'quaver' ? fmt(r.ns) : `${r.impl.replace(/^quaver_/, '')}: ${fmt(r.ns)}`)).join(', ') || '-'];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement('td');
    for (const r of g.impls.filter((x) => !x.impl.startsWith('quaver'))) {
      const span = document.createElement('span');
      const ratio = base ? r.ns / base.ns : null;
      span.textContent = `${r.impl} ${fmt(r.ns)}${ratio ? ` (${ratio.toFixed(2)}x)` : ''}; `;
      if (ratio) span.className = ratio >= 1 ? 'faster' : 'slower';
      td.append(span);
    }
    tr.append(td);
    body.append(tr);
  }
}

// --------------------------------------------------------------- main

async function main() {
  let tick = performance.now();
  let next;
  while ((next = performance.now()) === tick);
  progress(`${quick ? 'quick run' : 'full run'}, cross-origin isolated: ${crossOriginIsolated}, clock step ${((next - tick) * 1e3).toFixed(1)} us`);
  const quavers = {};
  for (const build of ['simd', 'baseline']) {
    try {
      quavers[build] = await createQuaver({ build });
    } catch (error) {
      progress(`quaver-dsp '${build}' build unavailable: ${error.message}`);
    }
  }
  state.build = quavers.simd ? `${quavers.simd.build} (${quavers.simd.simdTarget})` : null;
  const families = [
    ['fft_real', () => benchFft(quavers)],
    ['eq_cascade', () => benchEq(quavers)],
    ['convolver', () => benchConvolver(quavers)],
    ['audio_ring_js_one_thread', benchRingOneThread],
    ['audio_ring_js', benchRingTwoWorkers],
  ];
  state.failures = [];
  for (const [name, run] of families) {
    if (only && only !== name) continue;
    progress(`running ${name}...`);
    try {
      await run();
    } catch (error) {
      // One family failing (e.g. a build without a class) leaves the others' figures.
      state.failures.push(`${name}: ${error.message}`);
      progress(`${name} failed: ${error.stack ?? error}`);
    }
    showTable();
    await pause();
  }
  for (const q of Object.values(quavers)) q.terminate?.();
  progress(`done: ${results.length} results`);
}

main().then(
  () => {
    state.done = true;
  },
  (error) => {
    state.error = String(error?.stack ?? error);
    progress(`failed: ${state.error}`);
    state.done = true;
  },
);
