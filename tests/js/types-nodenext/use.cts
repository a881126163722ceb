import quaver = require('quaver-dsp');
import ring = require('quaver-dsp/ring');
async function main() {
  const q: quaver.Quaver = await quaver.createQuaver({ build: 'simd' });
  const r = quaver.AudioRing.create(new SharedArrayBuffer(quaver.AudioRing.bytesRequired(8)), 0, 8);
  const s: ring.SpscRing = r;
  const url: string = quaver.workletUrl;
  q.terminate();
  void [s, url];
}
void main;
