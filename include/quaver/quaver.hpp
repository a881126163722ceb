#pragma once
// Umbrella header: every public Quaver header.
#include "quaver/core.hpp"
#include "quaver/dsp.hpp"
#include "quaver/ring.hpp"
#include "quaver/sched.hpp"
