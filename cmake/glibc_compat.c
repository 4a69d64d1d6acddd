/* The glibc floor of the binaries gdprkit ships (cmake/bundled_deps.cmake).
 *
 * They are built on Debian 12 (glibc 2.36), whose libc binds every call to
 * the newest version of each symbol: pthread_create@GLIBC_2.34 (libpthread
 * moved into libc), stat@GLIBC_2.33, exp@GLIBC_2.29, arc4random@GLIBC_2.36,
 * and libstdc++'s __libc_single_threaded@GLIBC_2.32. A binary that names
 * those versions does not load on RHEL 8 (glibc 2.28), Debian 11 or Ubuntu
 * 20.04 (2.31), although each of those calls existed there under an older
 * version.
 *
 * Each shipped binary is linked with -Wl,--wrap=<symbol> for the symbols
 * below, so that every reference to <symbol> (ours, the static dependencies',
 * libstdc++'s) reaches __wrap_<symbol> here, which calls the same function at
 * its older version, bound with .symver. Those older versions are still in
 * today's glibc (as compatibility symbols), so the binaries run unchanged on
 * this machine, and CMake checks after each link that no newer version is
 * left (cmake/check_glibc_floor.cmake). libpthread.so.0 and libdl.so.2 are
 * named as needed libraries: before glibc 2.34 those functions lived there.
 *
 * Three are not a change of version but a replacement, with the behaviour the
 * callers rely on:
 *  - __libc_single_threaded (a variable, 2.32) is defined here as 0 ("the
 *    process may have threads"): libstdc++ then always uses atomic reference
 *    counts, which is always correct;
 *  - pthread_cond_clockwait (2.30) waits with pthread_cond_timedwait until the
 *    CLOCK_REALTIME time that corresponds to the CLOCK_MONOTONIC deadline;
 *    libstdc++'s condition_variable rechecks its own clock after each wake;
 *  - arc4random (2.36, std::random_device) reads getentropy (2.25).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GDPRKIT_HIDDEN __attribute__((visibility("hidden")))

/* gdprkit_old_<name> is <name>@<version>; __wrap_<name> calls it. */
#define GDPRKIT_OLD(ret, name, version, params) \
  extern ret gdprkit_old_##name params;         \
  __asm__(".symver gdprkit_old_" #name "," #name "@" version);
#define GDPRKIT_WRAP(ret, name, version, params, args) \
  GDPRKIT_OLD(ret, name, version, params)              \
  GDPRKIT_HIDDEN ret __wrap_##name params { return gdprkit_old_##name args; }

/* libpthread's functions, in libc since 2.34. */
GDPRKIT_WRAP(int, pthread_create, "GLIBC_2.2.5",
             (pthread_t * t, const pthread_attr_t* a, void* (*f)(void*), void* arg), (t, a, f, arg))
GDPRKIT_WRAP(int, pthread_detach, "GLIBC_2.2.5", (pthread_t t), (t))
GDPRKIT_WRAP(int, pthread_join, "GLIBC_2.2.5", (pthread_t t, void** r), (t, r))
GDPRKIT_WRAP(void*, pthread_getspecific, "GLIBC_2.2.5", (pthread_key_t k), (k))
GDPRKIT_WRAP(int, pthread_setspecific, "GLIBC_2.2.5", (pthread_key_t k, const void* v), (k, v))
GDPRKIT_WRAP(int, pthread_key_create, "GLIBC_2.2.5", (pthread_key_t * k, void (*d)(void*)), (k, d))
GDPRKIT_WRAP(int, __pthread_key_create, "GLIBC_2.2.5", (pthread_key_t * k, void (*d)(void*)),
             (k, d))
GDPRKIT_WRAP(int, pthread_key_delete, "GLIBC_2.2.5", (pthread_key_t k), (k))
GDPRKIT_WRAP(int, pthread_mutex_trylock, "GLIBC_2.2.5", (pthread_mutex_t * m), (m))
GDPRKIT_WRAP(int, pthread_mutexattr_init, "GLIBC_2.2.5", (pthread_mutexattr_t * a), (a))
GDPRKIT_WRAP(int, pthread_mutexattr_destroy, "GLIBC_2.2.5", (pthread_mutexattr_t * a), (a))
GDPRKIT_WRAP(int, pthread_mutexattr_settype, "GLIBC_2.2.5", (pthread_mutexattr_t * a, int t),
             (a, t))
GDPRKIT_WRAP(int, pthread_once, "GLIBC_2.2.5", (pthread_once_t * o, void (*f)(void)), (o, f))
GDPRKIT_WRAP(int, pthread_sigmask, "GLIBC_2.2.5", (int how, const sigset_t* s, sigset_t* old),
             (how, s, old))

/* libdl's, in libc since 2.34 (SQLite's loadable extensions; unused by gdprkit
 * but linked). */
GDPRKIT_WRAP(void*, dlopen, "GLIBC_2.2.5", (const char* f, int flags), (f, flags))
GDPRKIT_WRAP(void*, dlsym, "GLIBC_2.2.5", (void* h, const char* s), (h, s))
GDPRKIT_WRAP(int, dlclose, "GLIBC_2.2.5", (void* h), (h))
GDPRKIT_WRAP(char*, dlerror, "GLIBC_2.2.5", (void), ())

/* The program entry of the CLI (crt1.o), moved to 2.34. Since 2.34 crt1.o
 * passes no init function, because the new __libc_start_main runs the
 * program's constructors itself; the old one, which is what glibc before 2.34
 * has, runs only the init function it is given, and so would start main with
 * no global object constructed. The wrapper gives it one that does what the
 * new one does (glibc's csu/libc-start.c call_init: DT_INIT, then
 * DT_INIT_ARRAY; the preinit array is ld.so's, destructors are ld.so's
 * _dl_fini in every version). In a shared library the wrapper is linked but
 * never called. */
GDPRKIT_OLD(int, __libc_start_main, "GLIBC_2.2.5",
            (int (*m)(int, char**, char**), int argc, char** argv,
             void (*init)(int, char**, char**), void (*fini)(void), void (*rtld_fini)(void),
             void* stack_end))
typedef void (*gdprkit_init_fn)(int, char**, char**);
/* The linker defines these in an executable only: weak, so that a shared
 * library, where the wrapper is never called, links too. */
extern gdprkit_init_fn __init_array_start[] __attribute__((weak)) GDPRKIT_HIDDEN;
extern gdprkit_init_fn __init_array_end[] __attribute__((weak)) GDPRKIT_HIDDEN;
extern void _init(void) __attribute__((weak));
static void gdprkit_run_init(int argc, char** argv, char** envp) {
  if (_init != NULL) _init();
  for (gdprkit_init_fn* f = __init_array_start; f < __init_array_end; ++f) (*f)(argc, argv, envp);
}
GDPRKIT_HIDDEN int __wrap___libc_start_main(int (*m)(int, char**, char**), int argc, char** argv,
                                            void (*init)(int, char**, char**), void (*fini)(void),
                                            void (*rtld_fini)(void), void* stack_end) {
  return gdprkit_old___libc_start_main(m, argc, argv, init != NULL ? init : gdprkit_run_init, fini,
                                       rtld_fini, stack_end);
}

/* exp, log, log2, pow: 2.29 dropped the SVID error wrappers; the results are
 * the same. */
GDPRKIT_WRAP(double, exp, "GLIBC_2.2.5", (double x), (x))
GDPRKIT_WRAP(double, log, "GLIBC_2.2.5", (double x), (x))
GDPRKIT_WRAP(double, log2, "GLIBC_2.2.5", (double x), (x))
GDPRKIT_WRAP(double, pow, "GLIBC_2.2.5", (double x, double y), (x, y))

/* stat and friends became functions in 2.33; before, the header inlined a
 * call to __xstat & co. with the structure version (1 on x86-64). */
#define GDPRKIT_STAT_VER 1
GDPRKIT_OLD(int, __xstat, "GLIBC_2.2.5", (int v, const char* p, struct stat* b))
GDPRKIT_OLD(int, __lxstat, "GLIBC_2.2.5", (int v, const char* p, struct stat* b))
GDPRKIT_OLD(int, __fxstat, "GLIBC_2.2.5", (int v, int fd, struct stat* b))
GDPRKIT_OLD(int, __xstat64, "GLIBC_2.2.5", (int v, const char* p, struct stat64* b))
GDPRKIT_OLD(int, __lxstat64, "GLIBC_2.2.5", (int v, const char* p, struct stat64* b))
GDPRKIT_OLD(int, __fxstat64, "GLIBC_2.2.5", (int v, int fd, struct stat64* b))
GDPRKIT_HIDDEN int __wrap_stat(const char* p, struct stat* b) {
  return gdprkit_old___xstat(GDPRKIT_STAT_VER, p, b);
}
GDPRKIT_HIDDEN int __wrap_lstat(const char* p, struct stat* b) {
  return gdprkit_old___lxstat(GDPRKIT_STAT_VER, p, b);
}
GDPRKIT_HIDDEN int __wrap_fstat(int fd, struct stat* b) {
  return gdprkit_old___fxstat(GDPRKIT_STAT_VER, fd, b);
}
GDPRKIT_HIDDEN int __wrap_stat64(const char* p, struct stat64* b) {
  return gdprkit_old___xstat64(GDPRKIT_STAT_VER, p, b);
}
GDPRKIT_HIDDEN int __wrap_lstat64(const char* p, struct stat64* b) {
  return gdprkit_old___lxstat64(GDPRKIT_STAT_VER, p, b);
}
GDPRKIT_HIDDEN int __wrap_fstat64(int fd, struct stat64* b) {
  return gdprkit_old___fxstat64(GDPRKIT_STAT_VER, fd, b);
}

/* libstdc++ reads this to skip atomics in a single-threaded process; 0 means
 * "maybe threaded", always safe. A definition here wins over libc's. */
GDPRKIT_HIDDEN char __libc_single_threaded = 0;

GDPRKIT_HIDDEN int __wrap_pthread_cond_clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex,
                                                 clockid_t clock, const struct timespec* deadline) {
  if (clock == CLOCK_REALTIME) return pthread_cond_timedwait(cond, mutex, deadline);
  if (clock != CLOCK_MONOTONIC) return EINVAL;
  struct timespec mono, real;
  if (clock_gettime(CLOCK_MONOTONIC, &mono) != 0 || clock_gettime(CLOCK_REALTIME, &real) != 0) {
    return EINVAL;
  }
  int64_t left_ns =
      (int64_t)(deadline->tv_sec - mono.tv_sec) * 1000000000 + (deadline->tv_nsec - mono.tv_nsec);
  if (left_ns < 0) left_ns = 0;
  int64_t until_ns = (int64_t)real.tv_nsec + left_ns % 1000000000;
  struct timespec at;
  at.tv_sec = real.tv_sec + (time_t)(left_ns / 1000000000) + (time_t)(until_ns / 1000000000);
  at.tv_nsec = (long)(until_ns % 1000000000);
  return pthread_cond_timedwait(cond, mutex, &at);
}

GDPRKIT_HIDDEN uint32_t __wrap_arc4random(void) {
  uint32_t value;
  /* getentropy blocks until the kernel's pool is initialised and fails only
   * on kernels without getrandom (before 3.17), older than any supported. */
  if (getentropy(&value, sizeof value) != 0) abort();
  return value;
}
