// The Chromium reference cases for Quaver's biquads: shared by the fixture
// generator (make_fixture.mjs) and the live browser test
// (tests/browser/biquad.test.mjs).
import { launchChromium } from '../../../browser/support/chromium.mjs';

export const TYPES = ['lowpass', 'highpass', 'bandpass', 'lowshelf', 'highshelf', 'peaking', 'notch', 'allpass'];
export const FRAMES = 512;
export const SEED = 0x5eed1234;

// [frequency, Q, gain dB, detune cents]; 'nyq' means the Nyquist frequency.
export const SETTINGS = {
  48000: [
    [1000, 1, 6, 0],
    [100, 10, -12, 0],
    [5000, 0.3, 12, 300],
    [20, 0.7071, 3, 0],
    [0, 1, 6, 0],
    ['nyq', 1, 6, 0],
    [2000, 0, 6, 0],
    [2000, -3, -6, 0],
    [3000, 2, 40, 0],
    [20000, 1, 3, 1200],
  ],
  44100: [
    [440, 4, -9, -100],
    [15000, 0.5, 18, 0],
    [0, 0, 6, 0],
    ['nyq', 3, -6, 0],
  ],
};

export function frequencyGrid(sampleRate) {
  const nyq = sampleRate / 2;
  const grid = [0];
  for (let i = 0; i < 59; ++i) grid.push(10 * Math.pow(nyq / 10, i / 59));
  grid.push(nyq, -1, nyq + 1, 1000);
  return grid.map(Math.fround);
}

export function allCases() {
  const cases = [];
  for (const [rate, settings] of Object.entries(SETTINGS)) {
    for (const type of TYPES) {
      for (const [f, q, g, d] of settings) {
        cases.push({ type, sampleRate: Number(rate), frequency: f === 'nyq' ? Number(rate) / 2 : f, Q: q, gain: g, detune: d });
      }
    }
  }
  return cases;
}

// Runs in the page: renders each case through a BiquadFilterNode in an
// OfflineAudioContext and asks the node for its frequency response.
async function renderInPage({ cases, frames, seed, grids }) {
  function input() {
    // Impulse, then white noise in [-1, 1) from mulberry32(seed).
    let a = seed >>> 0;
    const rand = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const x = new Float32Array(frames);
    x[0] = 1;
    for (let i = 1; i < frames; ++i) x[i] = 2 * rand() - 1;
    return x;
  }
  const x = input();
  const out = [];
  for (const c of cases) {
    const ctx = new OfflineAudioContext(1, frames, c.sampleRate);
    const buffer = ctx.createBuffer(1, frames, c.sampleRate);
    buffer.copyToChannel(x, 0);
    const src = new AudioBufferSourceNode(ctx, { buffer });
    const node = new BiquadFilterNode(ctx, { type: c.type });
    node.frequency.value = c.frequency;
    node.Q.value = c.Q;
    node.gain.value = c.gain;
    node.detune.value = c.detune;
    src.connect(node).connect(ctx.destination);
    src.start();
    const rendered = await ctx.startRendering();
    const grid = new Float32Array(grids[c.sampleRate]);
    const mag = new Float32Array(grid.length);
    const phase = new Float32Array(grid.length);
    node.getFrequencyResponse(grid, mag, phase);
    out.push({
      params: { frequency: node.frequency.value, Q: node.Q.value, gain: node.gain.value, detune: node.detune.value },
      output: Array.from(rendered.getChannelData(0)),
      mag: Array.from(mag, (v) => (Number.isNaN(v) ? null : v)),
      phase: Array.from(phase, (v) => (Number.isNaN(v) ? null : v)),
    });
  }
  return { input: Array.from(x), results: out };
}

/// Renders `cases` in headless Chromium; returns { input, results, version }.
export async function renderInChromium(cases) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>biquad</title>');
    const grids = {};
    for (const c of cases) grids[c.sampleRate] = frequencyGrid(c.sampleRate);
    const res = await page.evaluate(renderInPage, { cases, frames: FRAMES, seed: SEED, grids });
    res.version = browser.version();
    res.grids = grids;
    return res;
  } finally {
    await browser.close();
  }
}
