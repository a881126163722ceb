#pragma once
// The priority worker pool: WorkerPool, Task, TaskGroup, parallel_for.
#include "quaver/sched/pool_options.hpp"
#include "quaver/sched/pool_stats.hpp"
#include "quaver/sched/priority.hpp"
#include "quaver/sched/task.hpp"
#include "quaver/sched/task_group.hpp"
#include "quaver/sched/worker_pool.hpp"
