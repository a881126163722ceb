import { createQuaver, AudioRing } from 'quaver-dsp';
import { RingbufJsView } from 'quaver-dsp/ring';
const q = await createQuaver({ build: 'baseline' });
const v: AudioRing = q.createAudioRing(8).view();
void [v, RingbufJsView];
import { startServer } from 'quaver-dsp/serve';
const server = await startServer({ root: '.', port: 0, pages: { '/blank.html': '<!doctype html>' } });
const origin: string = server.origin;
await server.close();
// @ts-expect-error the port is a number
await startServer({ port: '8080' });
void origin;
