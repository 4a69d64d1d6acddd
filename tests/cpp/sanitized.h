// kSanitized: true in a build under AddressSanitizer (several times slower),
// where the long harnesses take a seeded part of their cases; the release
// build runs them all.
#ifndef GDPRKIT_TESTS_CPP_SANITIZED_H_
#define GDPRKIT_TESTS_CPP_SANITIZED_H_

namespace gdprkit::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace gdprkit::testing

#endif  // GDPRKIT_TESTS_CPP_SANITIZED_H_
