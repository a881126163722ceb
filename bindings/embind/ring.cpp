// Rings in the WASM heap, laid out by quaver::SpscRingView so that JS (the
// plain-JS ring of quaver-dsp), workers and AudioWorklets can open the same
// bytes. JS validates every argument before calling in (see
// bindings/js/src/wasm-object.js): nothing here may throw, since a throw
// aborts a module built without exception catching.
#include <emscripten/bind.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "quaver/ring/ringbuf_js_view.hpp"
#include "quaver/ring/spsc_ring_view.hpp"

#ifdef __EMSCRIPTEN_PTHREADS__
#include <pthread.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>
#endif

namespace {

using quaver::RingbufJsView;
using quaver::SpscRingView;

/// A 64-byte aligned block holding one ring (header and data).
class RingBlock {
public:
    RingBlock(void* memory, std::size_t bytes) : memory_(memory), bytes_(bytes) {}
    RingBlock(const RingBlock&) = delete;
    RingBlock& operator=(const RingBlock&) = delete;
    ~RingBlock() { std::free(memory_); }

    double byte_offset() const { return static_cast<double>(reinterpret_cast<std::uintptr_t>(memory_)); }
    double byte_length() const { return static_cast<double>(bytes_); }

private:
    void* memory_;
    std::size_t bytes_;
};

template <class T>
RingBlock* make_block(std::uint32_t capacity, std::uint32_t channels) {
    const std::size_t bytes = SpscRingView<T>::bytes_required(capacity, channels);
    const std::size_t rounded = (bytes + 63) / 64 * 64;  // aligned_alloc wants a multiple of the alignment
    void* memory = std::aligned_alloc(64, rounded);
    if (memory == nullptr) return nullptr;
    SpscRingView<T>::create(memory, bytes, capacity, channels);
    return new RingBlock(memory, bytes);
}

/// Lays out an empty ring; null when the heap has no room.
/// Preconditions (checked in JS): capacity a power of two in [1, 2^30],
/// channels >= 1, format 1 (float32), 2 (int32), 3 (uint32) or 4 (float64).
RingBlock* create_ring_block(std::uint32_t capacity, std::uint32_t channels, std::uint32_t format) {
    switch (format) {
        case 1: return make_block<float>(capacity, channels);
        case 2: return make_block<std::int32_t>(capacity, channels);
        case 3: return make_block<std::uint32_t>(capacity, channels);
        case 4: return make_block<double>(capacity, channels);
        default: return nullptr;
    }
}

/// A float32 ring in the ringbuf.js 0.4.0 layout (quaver::RingbufJsView).
/// Null when the heap has no room. Precondition (checked in JS): 1 <= capacity < 2^28.
RingBlock* create_ringbuf_js_block(std::uint32_t capacity) {
    const std::size_t bytes = RingbufJsView<float>::bytes_required(capacity);
    void* memory = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (memory == nullptr) return nullptr;
    RingbufJsView<float>::create(memory, bytes);
    return new RingBlock(memory, bytes);
}

/// Writes up to `count` items first, first + 1, ... (as float32) into the
/// ringbuf.js-layout ring at `ring`; returns how many fit.
/// Preconditions (checked in JS): a valid ring of `ring_bytes` bytes, count <= 2^20.
std::uint32_t ringbuf_js_write_sequence(double ring, double ring_bytes, double first, std::uint32_t count) {
    auto view = RingbufJsView<float>::attach(reinterpret_cast<void*>(static_cast<std::uintptr_t>(ring)),
                                             static_cast<std::size_t>(ring_bytes));
    std::vector<float> items(count);
    for (std::uint32_t i = 0; i < count; ++i) items[i] = static_cast<float>(first + i);
    return static_cast<std::uint32_t>(view.write(items));
}

/// Reads up to `count` items and checks they are first, first + 1, ...;
/// returns how many were read, or -(1 + i) when item i is wrong.
double ringbuf_js_read_sequence(double ring, double ring_bytes, double first, std::uint32_t count) {
    auto view = RingbufJsView<float>::attach(reinterpret_cast<void*>(static_cast<std::uintptr_t>(ring)),
                                             static_cast<std::size_t>(ring_bytes));
    std::vector<float> items(count);
    const std::size_t n = view.read(items);
    for (std::size_t i = 0; i < n; ++i) {
        if (items[i] != static_cast<float>(first + static_cast<double>(i))) return -1.0 - static_cast<double>(i);
    }
    return static_cast<double>(n);
}

#ifdef __EMSCRIPTEN_PTHREADS__

/// The value of frame i, channel c, in the self-test sequence: exact in
/// float32 for 2^24 frames, and different on every channel.
inline float sequence_value(std::uint64_t i, std::uint32_t c) {
    return static_cast<float>((i + std::uint64_t{c} * 4099u) & 0xFFFFFFu);
}

/// A pthread that writes (or reads and checks) `total` frames of the
/// sequence above through a float32 ring, `chunk` frames at a time: the C++
/// side of the JS <-> C++ cross-thread tests, and a self-test for apps.
class SequenceTask {
public:
    /// Preconditions (checked in JS): `ring` is the offset of a float32 ring of
    /// `ring_bytes` bytes; 1 <= chunk <= 65536.
    SequenceTask(bool writer, double ring, double ring_bytes, double total, std::uint32_t chunk)
        : view_(SpscRingView<float>::attach(reinterpret_cast<void*>(static_cast<std::uintptr_t>(ring)),
                                             static_cast<std::size_t>(ring_bytes))),
          writer_(writer),
          total_(static_cast<std::uint64_t>(total)),
          chunk_(chunk),
          buffers_(view_.channels(), std::vector<float>(chunk)) {
        for (auto& b : buffers_) pointers_.push_back(b.data());
        from_.resize(pointers_.size());
        started_ = pthread_create(&thread_, nullptr, &SequenceTask::run, this) == 0;
        if (!started_) done_.store(true, std::memory_order_release);
    }
    SequenceTask(const SequenceTask&) = delete;
    SequenceTask& operator=(const SequenceTask&) = delete;
    ~SequenceTask() {
        stop_.store(true, std::memory_order_relaxed);
        join();
    }

    /// False when no pthread was free (the pool is fixed at startup).
    bool started() const { return started_; }
    bool done() const { return done_.load(std::memory_order_acquire); }
    double processed() const { return static_cast<double>(processed_.load(std::memory_order_relaxed)); }
    double mismatches() const { return static_cast<double>(mismatches_.load(std::memory_order_relaxed)); }
    /// Frame index of the first wrong sample, -1 when none.
    double first_mismatch() const { return first_mismatch_.load(std::memory_order_relaxed); }
    void cancel() { stop_.store(true, std::memory_order_relaxed); }
    void join() {
        if (started_) {
            pthread_join(thread_, nullptr);
            started_ = false;
        }
    }

private:
    // On a full or empty ring: spin a little, then sleep briefly, so that the
    // other end gets the core when there are fewer cores than threads.
    void idle() {
        if (++spins_ > 64) {
            spins_ = 0;
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
    }

    static void* run(void* self) {
        static_cast<SequenceTask*>(self)->writer_ ? static_cast<SequenceTask*>(self)->write()
                                                  : static_cast<SequenceTask*>(self)->check();
        static_cast<SequenceTask*>(self)->done_.store(true, std::memory_order_release);
        return nullptr;
    }

    void write() {
        std::uint64_t next = 0;
        while (next < total_ && !stop_.load(std::memory_order_relaxed)) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_, total_ - next));
            for (std::uint32_t c = 0; c < buffers_.size(); ++c) {
                for (std::size_t i = 0; i < n; ++i) buffers_[c][i] = sequence_value(next + i, c);
            }
            std::size_t written = 0;
            while (written < n && !stop_.load(std::memory_order_relaxed)) {
                // Partial writes continue from the first frame not taken.
                for (std::size_t c = 0; c < from_.size(); ++c) from_[c] = pointers_[c] + written;
                const std::size_t w = view_.write_planar(from_.data(), n - written);
                if (w == 0) idle();
                written += w;
            }
            next += written;
            processed_.store(next, std::memory_order_relaxed);
        }
    }

    void check() {
        std::uint64_t next = 0;
        while (next < total_ && !stop_.load(std::memory_order_relaxed)) {
            const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_, total_ - next));
            const std::size_t n = view_.read_planar(pointers_.data(), want);
            if (n == 0) idle();
            for (std::uint32_t c = 0; c < buffers_.size(); ++c) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (buffers_[c][i] != sequence_value(next + i, c)) {
                        if (mismatches_.fetch_add(1, std::memory_order_relaxed) == 0) {
                            first_mismatch_.store(static_cast<double>(next + i), std::memory_order_relaxed);
                        }
                    }
                }
            }
            next += n;
            processed_.store(next, std::memory_order_relaxed);
        }
    }

    SpscRingView<float> view_;
    bool writer_;
    std::uint64_t total_;
    std::uint32_t chunk_;
    std::vector<std::vector<float>> buffers_;
    std::vector<float*> pointers_;
    std::vector<const float*> from_;
    unsigned spins_ = 0;
    pthread_t thread_{};
    bool started_ = false;
    std::atomic<bool> stop_{false};
    std::atomic<bool> done_{false};
    std::atomic<std::uint64_t> processed_{0};
    std::atomic<std::uint64_t> mismatches_{0};
    std::atomic<double> first_mismatch_{-1.0};
};

#endif  // __EMSCRIPTEN_PTHREADS__

}  // namespace

EMSCRIPTEN_BINDINGS(quaver_ring) {
    using namespace emscripten;
    class_<RingBlock>("RingBlock")
        .function("byteOffset", &RingBlock::byte_offset)
        .function("byteLength", &RingBlock::byte_length);
    function("createRingBlock", &create_ring_block, allow_raw_pointers());
    function("createRingbufJsBlock", &create_ringbuf_js_block, allow_raw_pointers());
    function("ringbufJsWriteSequence", &ringbuf_js_write_sequence);
    function("ringbufJsReadSequence", &ringbuf_js_read_sequence);
#ifdef __EMSCRIPTEN_PTHREADS__
    class_<SequenceTask>("SequenceTask")
        .constructor<bool, double, double, double, std::uint32_t>()
        .function("started", &SequenceTask::started)
        .function("done", &SequenceTask::done)
        .function("processed", &SequenceTask::processed)
        .function("mismatches", &SequenceTask::mismatches)
        .function("firstMismatch", &SequenceTask::first_mismatch)
        .function("cancel", &SequenceTask::cancel)
        .function("join", &SequenceTask::join);
#endif
}
