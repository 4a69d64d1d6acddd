/* Shared by the out-of-memory tests (oom_test.c, retention_oom_test.c):
 * OOM_TEST_SANITIZED is defined when a sanitizer owns malloc, so the tests
 * cannot replace it and skip themselves (exit 77). */
#ifndef GDPRKIT_TESTS_C_OOM_UTIL_H_
#define GDPRKIT_TESTS_C_OOM_UTIL_H_

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OOM_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define OOM_TEST_SANITIZED 1
#endif
#endif

#endif /* GDPRKIT_TESTS_C_OOM_UTIL_H_ */
