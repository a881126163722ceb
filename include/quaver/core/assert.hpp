#pragma once
// QUAVER_ASSERT checks a documented precondition in debug builds (when NDEBUG
// is not defined, or QUAVER_ENABLE_ASSERTS is) and compiles to nothing
// otherwise. A violated precondition is a bug in the caller, so it stops the
// program with the condition and a message rather than corrupting state.
#include <cstdio>
#include <cstdlib>

#if !defined(QUAVER_ENABLE_ASSERTS) && !defined(NDEBUG)
#define QUAVER_ENABLE_ASSERTS 1
#endif

namespace quaver::detail {
[[noreturn]] inline void assertion_failed(const char* condition, const char* message, const char* file,
                                          int line) noexcept {
    std::fprintf(stderr, "quaver: precondition failed: %s (%s) at %s:%d\n", message, condition, file, line);
    std::abort();
}
}  // namespace quaver::detail

#if QUAVER_ENABLE_ASSERTS
#define QUAVER_ASSERT(condition, message) \
    ((condition) ? (void)0 : ::quaver::detail::assertion_failed(#condition, message, __FILE__, __LINE__))
#else
#define QUAVER_ASSERT(condition, message) ((void)0)
#endif
