#pragma once

#define QUAVER_VERSION_MAJOR 0
#define QUAVER_VERSION_MINOR 1
#define QUAVER_VERSION_PATCH 0

namespace quaver {
inline constexpr const char* version_string = "0.1.0";
}
