#pragma once
// Umbrella header: every public Quaver header.
#include "quaver/core.hpp"
#if __has_include("quaver/ring.hpp")
#include "quaver/ring.hpp"
#endif
#if __has_include("quaver/sched.hpp")
#include "quaver/sched.hpp"
#endif
#if __has_include("quaver/dsp.hpp")
#include "quaver/dsp.hpp"
#endif
