// Records what Chromium's own AnalyserNode reports for a fixed signal, so the
// C++ SpectrumAnalyzer can be compared with it (analyser_chromium_test.cpp)
// and a later Chromium can be compared with the record
// (tests/browser/analyser.test.mjs).
//
//   node tests/dsp/analysis/chromium/make_fixture.mjs   # rewrites data/chromium_analyser.json
//
// The signal is rendered by an OfflineAudioContext (sample-exact and
// deterministic) through one AnalyserNode per configuration; suspend() stops
// the rendering at chosen render-quantum boundaries, where each analyser is
// read once (getFloatFrequencyData, then getByteFrequencyData and the time
// domain, all from the same analysis, as Chromium computes at most one per
// quantum).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from '../../../browser/support/chromium.mjs';

export const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'chromium_analyser.json');

// The C++ test rebuilds the signal from these numbers with the same double
// arithmetic (x[i] rounded to float once), see analyser_chromium_test.cpp.
export const SIGNAL = {
  sample_rate: 48000,
  frames: 24576,
  onset: 4096, // silence before, so the first read sees only zeros
  sines: [
    { frequency: 440, amplitude: 0.5 },
    { frequency: 1234.5, amplitude: 0.25 },
    { frequency: 5000, amplitude: 0.01 },
    { frequency: 15000, amplitude: 0.001 },
  ],
  // Linear chirp, phase 2 pi (f0 t + (f1 - f0) t^2 / (2 T)), T = (frames - onset) / sample_rate.
  chirp: { f0: 100, f1: 8000, amplitude: 0.1 },
};

// Frames rendered when each read happens (multiples of the 128-frame quantum).
export const READ_FRAMES = [1024, 6144, 8192, 10240, 12800, 16384, 20480, 24448];

export const CONFIGS = [
  { fft_size: 2048, smoothing: 0, min_decibels: -100, max_decibels: -30 },
  { fft_size: 2048, smoothing: 0.8, min_decibels: -100, max_decibels: -30 },
  { fft_size: 256, smoothing: 0, min_decibels: -100, max_decibels: -30 },
  { fft_size: 256, smoothing: 0.8, min_decibels: -120, max_decibels: -10 },
];

// Runs in the page: renders and reads the analysers.
async function renderInPage({ signal, readFrames, configs }) {
  const sr = signal.sample_rate;
  const ctx = new OfflineAudioContext(1, signal.frames, sr);
  const buffer = ctx.createBuffer(1, signal.frames, sr);
  const x = buffer.getChannelData(0);
  const span = (signal.frames - signal.onset) / sr;
  for (let i = signal.onset; i < signal.frames; ++i) {
    const t = (i - signal.onset) / sr;
    let v = 0;
    for (const s of signal.sines) v += s.amplitude * Math.sin(2 * Math.PI * s.frequency * t);
    const c = signal.chirp;
    v += c.amplitude * Math.sin(2 * Math.PI * (c.f0 * t + ((c.f1 - c.f0) * t * t) / (2 * span)));
    x[i] = v;
  }
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  const analysers = configs.map((c) => {
    const a = new AnalyserNode(ctx, {
      fftSize: c.fft_size,
      smoothingTimeConstant: c.smoothing,
      minDecibels: c.min_decibels,
      maxDecibels: c.max_decibels,
    });
    source.connect(a);
    a.connect(ctx.destination);
    return a;
  });
  const reads = configs.map(() => []);
  for (const frame of readFrames) {
    // Chromium rounds a suspend time up to the next quantum boundary; asking
    // half a quantum early keeps float rounding of frame / sr from landing a
    // quantum late. current_frame records where it did stop.
    ctx.suspend((frame - 64) / sr).then(() => {
      analysers.forEach((a, k) => {
        const db = new Float32Array(a.frequencyBinCount);
        const bytes = new Uint8Array(a.frequencyBinCount);
        const time = new Float32Array(a.fftSize);
        a.getFloatFrequencyData(db);
        a.getByteFrequencyData(bytes);
        a.getFloatTimeDomainData(time);
        reads[k].push({
          frame,
          current_frame: Math.round(ctx.currentTime * sr),
          // 4 decimals (1e-4 dB) keeps the file small; -Infinity becomes null.
          float_db: Array.from(db, (v) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null)),
          bytes: Array.from(bytes),
          // The input as the analyser holds it (short configs only: small), to
          // prove the C++ side feeds exactly the same samples.
          time_domain: a.fftSize <= 256 ? Array.from(time) : undefined,
        });
      });
      ctx.resume();
    });
  }
  source.start(0);
  await ctx.startRendering();
  return reads;
}

function serve() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>quaver analyser fixture</title>');
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/// Renders the signal in Chromium and returns the whole record.
export async function recordChromiumAnalyser() {
  const server = await serve();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const reads = await page.evaluate(renderInPage, { signal: SIGNAL, readFrames: READ_FRAMES, configs: CONFIGS });
    return {
      about:
        'AnalyserNode output recorded from Chromium by tests/dsp/analysis/chromium/make_fixture.mjs; ' +
        'float_db rounded to 1e-4 dB, null = -Infinity.',
      chromium: chromiumVersion(),
      signal: SIGNAL,
      configs: CONFIGS.map((c, k) => ({ ...c, reads: reads[k] })),
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const record = await recordChromiumAnalyser();
  writeFileSync(FIXTURE, JSON.stringify(record) + '\n');
  console.log(`wrote ${FIXTURE} (${record.chromium})`);
}
