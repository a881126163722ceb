#pragma once
// Platform facts and small shared pieces used by every layer.
#include "quaver/core/assert.hpp"
#include "quaver/core/cache_line.hpp"
#include "quaver/version.hpp"
