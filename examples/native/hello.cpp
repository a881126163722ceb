// quaver-hello: the first Quaver program to read.
//
// A producer thread writes a 440 Hz sine into a quaver::AudioRing; a
// simulated audio callback takes 128-frame blocks out of it at the pace of a
// 48 kHz sound card and hands each block's level to a quaver::WorkerPool as a
// realtime job; meanwhile the pool runs jobs of lower priorities, whose
// results come back through Task handles (futures).
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string_view>
#include <thread>

#include <quaver/ring/audio_ring.hpp>
#include <quaver/sched/worker_pool.hpp>

int main(int argc, char** argv) {
    if (argc > 1) {
        std::puts("usage: quaver-hello\nStreams 1 s of a sine through an AudioRing while a WorkerPool runs jobs.");
        return std::string_view(argv[1]) == "--help" ? 0 : 2;
    }
    constexpr double rate = 48000;
    constexpr std::size_t block = 128, channels = 2, callbacks = 375;  // 375 x 128 frames = 1 s

    quaver::AudioRing ring(2048, channels);  // 43 ms: room for the producer to run late now and then
    std::atomic<bool> stop{false};

    // The producer keeps the ring topped up, one interleaved block at a time.
    std::thread producer([&] {
        float frames[block * channels];
        double phase = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            if (ring.write_available() < block) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                continue;
            }
            for (std::size_t f = 0; f < block; ++f, phase += 2 * std::numbers::pi * 440 / rate) {
                const float x = 0.25f * static_cast<float>(std::sin(phase));
                for (std::size_t c = 0; c < channels; ++c) frames[f * channels + c] = x;
            }
            ring.write_interleaved(frames, block);
        }
    });

    // Jobs for the pool: a worker always takes the most urgent queued job,
    // and aging keeps background work from starving.
    quaver::WorkerPool pool(quaver::PoolOptions{.workers = 2});
    auto sum_of = [](int terms) {  // 1 + 1/4 + 1/9 + ... tends to pi^2 / 6
        double s = 0;
        for (int k = terms; k >= 1; --k) s += 1.0 / (static_cast<double>(k) * k);
        return s;
    };
    auto status = pool.submit(quaver::Priority::high, [&] { return ring.capacity() * 1000.0 / rate; });
    auto estimate = pool.submit(quaver::Priority::normal, [&] { return std::sqrt(6 * sum_of(1000)); });
    auto scan = pool.submit(quaver::Priority::background, [&] { return std::sqrt(6 * sum_of(10'000'000)); });
    std::atomic<float> meter{0};
    std::atomic<int> meter_updates{0};

    // The audio callback: every 128 / 48000 s it takes one block; a block the
    // producer has not delivered in time is played as silence and counted as
    // an underrun. It never blocks and never allocates: try_post queues the
    // meter job without either, or drops this one update if the pool is full.
    while (ring.read_available() < ring.capacity() / 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    float out[block * channels];
    float peak = 0;
    auto next = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < callbacks; ++i) {
        next += std::chrono::nanoseconds(static_cast<long long>(1e9 * block / rate));
        std::this_thread::sleep_until(next);
        ring.read_interleaved_or_silence(out, block);
        float level = 0;
        for (float x : out) level = std::max(level, std::abs(x));
        peak = std::max(peak, level);
        pool.try_post(quaver::Priority::realtime, [&meter, &meter_updates, level]() noexcept {
            meter.store(level, std::memory_order_relaxed);  // what a UI would draw
            meter_updates.fetch_add(1, std::memory_order_relaxed);
        });
    }
    stop = true;
    producer.join();
    std::printf("audio: %zu blocks of %zu frames, peak %.3f\n", callbacks, block, peak);
    std::printf("ring: %llu underruns (%llu frames), %llu overruns\n", (unsigned long long)ring.underruns(),
                (unsigned long long)ring.underrun_frames(), (unsigned long long)ring.overruns());
    std::printf("jobs: ring of %.1f ms, pi ~ %.4f (1000 terms), pi ~ %.6f (10^7 terms)\n", status.get(), estimate.get(),
                scan.get());
    pool.shutdown();  // runs what is still queued, so every meter update has landed
    std::printf("meter: %d updates, last %.1f dBFS\n", meter_updates.load(), 20 * std::log10(meter.load()));
    const quaver::PoolStats stats = pool.stats();
    std::printf("pool: %zu workers, utilisation %.1f%%\n", pool.options().workers, 100 * stats.utilisation);
    using quaver::Priority;
    for (Priority p : {Priority::realtime, Priority::high, Priority::normal, Priority::background}) {
        std::printf("  %-10s completed %llu, submit-to-start latency at most %.1f us\n", quaver::to_string(p).data(),
                    (unsigned long long)stats[p].completed, stats[p].latency_max_ns / 1e3);
    }
    return 0;
}
