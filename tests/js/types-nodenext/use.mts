import { createQuaver, AudioRing } from 'quaver-dsp';
import { RingbufJsView } from 'quaver-dsp/ring';
const q = await createQuaver({ build: 'baseline' });
const v: AudioRing = q.createAudioRing(8).view();
void [v, RingbufJsView];
