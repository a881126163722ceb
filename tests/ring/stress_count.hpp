#pragma once
// Item counts for the two-thread stress tests: smaller under ThreadSanitizer,
// which slows every atomic access by an order of magnitude.
#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#define QUAVER_TEST_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define QUAVER_TEST_UNDER_TSAN 1
#endif
#endif

namespace quaver::test {

#if defined(QUAVER_TEST_UNDER_TSAN)
inline constexpr std::size_t stress_items = 200'000;
#else
inline constexpr std::size_t stress_items = 2'000'000;
#endif

}  // namespace quaver::test
