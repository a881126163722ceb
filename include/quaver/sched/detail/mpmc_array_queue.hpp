#pragma once
// The pool's queues are quaver::MpmcQueue with packed cells (see
// WorkerPool::TaskQueue); this name remains for code written against the
// pool's former queue of its own.
#include <cstdint>

#include "quaver/ring/mpmc_queue.hpp"

namespace quaver::detail {

template <class T>
using MpmcArrayQueue = MpmcQueue<T, alignof(std::uint64_t)>;

}  // namespace quaver::detail
