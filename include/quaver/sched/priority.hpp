#pragma once
// The four priority classes of the worker pool. Priority belongs to each task
// (not to a pool or an arena): a worker that becomes free takes the queued
// task of the highest class, with the aging rule of WorkerPool keeping the
// lower classes from starving.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace quaver {

enum class Priority : std::uint8_t {
    realtime = 0,    ///< short work an audio callback is waiting for; always runs first
    high = 1,        ///< interactive work (UI-visible analysis, parameter smoothing)
    normal = 2,      ///< the default
    background = 3,  ///< bulk work (file analysis, precomputation)
};

inline constexpr std::size_t priority_count = 4;

/// Real-time: wait-free, no allocation.
constexpr std::size_t to_index(Priority p) noexcept { return static_cast<std::size_t>(p); }

/// Real-time: wait-free, no allocation.
constexpr std::string_view to_string(Priority p) noexcept {
    switch (p) {
        case Priority::realtime: return "realtime";
        case Priority::high: return "high";
        case Priority::normal: return "normal";
        case Priority::background: return "background";
    }
    return "unknown";
}

}  // namespace quaver
