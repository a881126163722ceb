'use strict';
// quaver-dsp for require(). The rings are synchronous (dist/ring.cjs, the
// CommonJS twin of src/ring.js); createQuaver loads the ES-module entry.
// Classes returned by createQuaver come from that entry, so they are not
// `instanceof` the CommonJS ring classes below.
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const ring = require('./dist/ring.cjs');

const entry = () => import('./index.mjs');

module.exports = {
  ...ring,
  createQuaver: (options) => entry().then((m) => m.createQuaver(options)),
  workletUrl: pathToFileURL(path.join(__dirname, 'src', 'worklet.js')).href,
};
