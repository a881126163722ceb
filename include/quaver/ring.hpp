#pragma once
// Lock-free rings and queues: the shared-layout SPSC ring and its view, the
// audio ring, the ringbuf.js-compatible view, the MPMC queue and the typed
// message queue built on it.
#include "quaver/ring/audio_ring.hpp"
#include "quaver/ring/message_queue.hpp"
#include "quaver/ring/mpmc_queue.hpp"
#include "quaver/ring/ringbuf_js_view.hpp"
#include "quaver/ring/spsc_ring.hpp"
#include "quaver/ring/spsc_ring_view.hpp"
