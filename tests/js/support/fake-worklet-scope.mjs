// Just enough of an AudioWorkletGlobalScope to run quaver-dsp/worklet in node:
// registerProcessor records the class; the port collects posted messages.
export const processors = new Map();

class FakePort {
  constructor() {
    this.messages = [];
    this.onmessage = null;
  }
  postMessage(message) {
    this.messages.push(message);
  }
}

globalThis.sampleRate = 48000;
globalThis.AudioWorkletProcessor = class AudioWorkletProcessor {
  constructor() {
    this.port = new FakePort();
  }
};
globalThis.registerProcessor = (name, processor) => processors.set(name, processor);
