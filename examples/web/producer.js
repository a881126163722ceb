// The demo's producer Worker (cross-origin isolated pages): renders the source
// through the EQ and the reverb into the shared AudioRing the AudioWorklet
// plays from, keeps the ring about `target` frames full, and publishes the
// spectrum and its telemetry in shared memory for the page to draw at its own
// frame rate.
// In an application the import is `quaver-dsp`.
import { createQuaver, AudioRing } from '../../bindings/js/index.mjs';
import { Engine, BLOCK } from './engine.js';

let engine;
let ring;
let spectrum; // Float32Array(bins) in a SharedArrayBuffer
let stats; // Float64Array in a SharedArrayBuffer: see STATS in app.js
let q;

const TICK_MS = 4;

onmessage = async ({ data }) => {
  try {
    if (data.type === 'start') await start(data);
    else if (data.type === 'band') setBand(data);
    else if (data.type === 'source') engine.setSource(data.source);
    else if (data.type === 'reverb') engine.setReverb(data.wet);
  } catch (error) {
    postMessage({ type: 'error', message: String(error?.stack ?? error) });
  }
};

// Moves a band and answers with the EQ's new magnitude response, for the curve.
function setBand({ index, params, responseHz }) {
  engine.setBand(index, params);
  const mag = new Float32Array(responseHz.length);
  engine.eq.getFrequencyResponse(responseHz, mag, new Float32Array(responseHz.length));
  postMessage({ type: 'response', mag }, [mag.buffer]);
}

async function start({ sampleRate, ringBuffer, spectrumBuffer, statsBuffer, target, threads }) {
  q = await createQuaver({ build: 'threads-simd', threads });
  ring = AudioRing.attach(ringBuffer, 0);
  spectrum = new Float32Array(spectrumBuffer);
  stats = new Float64Array(statsBuffer);
  engine = new Engine(q, sampleRate);
  postMessage({ type: 'ready', build: q.build, simdTarget: q.simdTarget, threads: q.threads ?? threads, heapBytes: q.memory.byteLength });
  let last = performance.now();
  let worst = 0;
  let mean = 0;
  const tick = () => {
    const now = performance.now();
    const late = Math.max(0, now - last - TICK_MS); // how late the timer fired
    last = now;
    worst = Math.max(worst * 0.995, late);
    mean = mean * 0.95 + late * 0.05;
    const t0 = performance.now();
    let rendered = 0;
    while (ring.availableRead() < target && ring.availableWrite() >= BLOCK) {
      ring.writePlanar(engine.render(), BLOCK);
      rendered += BLOCK;
    }
    if (rendered) engine.analyser.getFloatFrequencyData(spectrum);
    stats[0] = mean; // task latency: mean lateness of the producer's timer, ms
    stats[1] = worst;
    stats[2] = performance.now() - t0; // time of the last render burst, ms
    stats[3] += rendered;
    stats[4] += 1; // spectrum updates (a seqcount would be overkill: a torn frame only draws once)
    setTimeout(tick, TICK_MS);
  };
  tick();
}
