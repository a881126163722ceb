#pragma once
#include <cstddef>

namespace quaver {

/// Bytes that two independently written variables keep between them so that
/// writes from different cores do not false-share. 64 on x86-64 and on the
/// WASM targets we run on; std::hardware_destructive_interference_size is
/// not used because GCC warns that its value is not ABI-stable.
inline constexpr std::size_t cache_line_size = 64;

}  // namespace quaver
