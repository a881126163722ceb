// A job object that the JS pool (pool.cpp) can run on its WorkerPool: other
// bindings (e.g. the STFT in analysis.cpp) derive from it so that their work
// runs on the same pool and completes through the same queue as pool jobs.
#pragma once
#include <cstdint>

namespace quaver {
class WorkerPool;
}

namespace quaver_embind {

struct PoolJob {
    virtual ~PoolJob() = default;
    /// Runs on a worker of `pool` (or, without workers, on the thread that
    /// runs pending tasks); may itself use the pool (parallel_for helps
    /// rather than blocks on a worker). Returns the value the JS promise
    /// resolves with; an exception rejects it with its what().
    virtual double run(quaver::WorkerPool& pool, std::uint32_t priority) = 0;
};

}  // namespace quaver_embind
