// The demo's AudioWorklet for pages that are not cross-origin isolated (no
// SharedArrayBuffer, so no shared ring): the main thread posts stereo blocks
// over the port and this processor plays them in order, counting underruns.
class QueuePlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.offset = 0;
    this.played = 0; // frames taken from the queue
    this.underruns = 0;
    this.quanta = 0;
    this.port.onmessage = ({ data }) => {
      this.queue.push(data); // [left, right] Float32Array
    };
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const frames = out[0].length;
    let done = 0;
    while (done < frames && this.queue.length) {
      const [l, r] = this.queue[0];
      const n = Math.min(frames - done, l.length - this.offset);
      out[0].set(l.subarray(this.offset, this.offset + n), done);
      if (out[1]) out[1].set(r.subarray(this.offset, this.offset + n), done);
      done += n;
      this.offset += n;
      this.played += n;
      if (this.offset === l.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    if (done < frames) {
      for (const channel of out) channel.fill(0, done);
      this.underruns++;
    }
    // About every 20 ms: the main thread's fill estimate is sent - played.
    if (++this.quanta % 8 === 0) this.port.postMessage({ type: 'stats', underruns: this.underruns, played: this.played, quanta: this.quanta });
    return true;
  }
}

registerProcessor('quaver-queue-player', QueuePlayer);
