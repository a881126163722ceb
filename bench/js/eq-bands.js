// The 8-band EQ every EQ benchmark and comparison uses (the same bands as
// bench/native/biquad/biquad_bench.cpp), in Web Audio vocabulary, at 48 kHz.
export const EQ_RATE = 48000;

export const EQ_BANDS = Object.freeze([
  { type: 'highpass', frequency: 30, Q: 0, gain: 0 },
  { type: 'lowshelf', frequency: 120, Q: 1, gain: 4 },
  { type: 'peaking', frequency: 400, Q: 1.4, gain: -3 },
  { type: 'peaking', frequency: 1000, Q: 2, gain: 5 },
  { type: 'notch', frequency: 3000, Q: 8, gain: 0 },
  { type: 'peaking', frequency: 6000, Q: 0.7, gain: -2 },
  { type: 'highshelf', frequency: 9000, Q: 1, gain: 3 },
  { type: 'lowpass', frequency: 18000, Q: 3, gain: 0 },
]);
