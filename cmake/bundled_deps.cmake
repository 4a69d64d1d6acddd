# Linking gdprkit's dependencies into the binaries it ships (GDPRKIT_DEPS_PREFIX).
#
# scripts/build_deps.sh builds Abseil, protobuf and COIN-OR static and
# position-independent into a prefix; libsodium and SQLite come from Debian's
# own static archives. With GDPRKIT_DEPS_PREFIX set, every gdprkit target
# links those archives instead of the shared libraries, and the shipped
# binaries (gdprkit_bundled_deps_ship below, called by CMakeLists.txt's
# gdprkit_ship for libgdprkit.so.0, the CLI and the Python extension) also link
# libstdc++ statically and hide every symbol that came from an archive
# (-Wl,--exclude-libs,ALL). What they then need at run time is glibc (libc,
# libm, libpthread, libdl) 2.28 or newer (cmake/glibc_compat.c) and libgcc_s:
# the manylinux policy's own libraries.
# Hidden copies cannot clash with another protobuf or Abseil in the same
# process (a Python session that also imports another protobuf user, or a
# practice system that links its own).

macro(gdprkit_bundled_deps_prepare)
  get_filename_component(GDPRKIT_DEPS_PREFIX "${GDPRKIT_DEPS_PREFIX}" ABSOLUTE)
  if(NOT EXISTS "${GDPRKIT_DEPS_PREFIX}/.stamp")
    message(FATAL_ERROR "GDPRKIT_DEPS_PREFIX=${GDPRKIT_DEPS_PREFIX} holds no dependencies "
                        "built by scripts/build_deps.sh (no .stamp there): run "
                        "`bash scripts/build_deps.sh` first, or configure without it")
  endif()
  message(STATUS "gdprkit: linking the static dependencies in ${GDPRKIT_DEPS_PREFIX}")
  list(PREPEND CMAKE_PREFIX_PATH "${GDPRKIT_DEPS_PREFIX}")
  set(absl_DIR "${GDPRKIT_DEPS_PREFIX}/lib/cmake/absl" CACHE PATH "Abseil's CMake package" FORCE)
  # FindProtobuf: the prefix's static library and headers; protoc stays
  # Debian's, which is the same release (3.21.12), so generated code and
  # runtime agree (FindProtobuf compares their versions).
  set(Protobuf_USE_STATIC_LIBS ON)
  set(Protobuf_INCLUDE_DIR "${GDPRKIT_DEPS_PREFIX}/include" CACHE PATH "" FORCE)
  foreach(_config LIBRARY LIBRARY_RELEASE LIBRARY_DEBUG)
    set(Protobuf_${_config} "${GDPRKIT_DEPS_PREFIX}/lib/libprotobuf.a" CACHE FILEPATH "" FORCE)
  endforeach()
  # pkg-config: COIN-OR's .pc files in the prefix come before the system's.
  set(ENV{PKG_CONFIG_PATH} "${GDPRKIT_DEPS_PREFIX}/lib/pkgconfig:$ENV{PKG_CONFIG_PATH}")
  # Debian's static libsodium and SQLite (see scripts/build_deps.sh).
  find_library(GDPRKIT_SODIUM_ARCHIVE NAMES libsodium.a REQUIRED)
  find_library(GDPRKIT_SQLITE_ARCHIVE NAMES libsqlite3.a REQUIRED)
  set(SQLite3_LIBRARY "${GDPRKIT_SQLITE_ARCHIVE}" CACHE FILEPATH "" FORCE)
  find_package(Threads REQUIRED)
endmacro()

# After the find_package calls: point the imported targets at the archives and
# check that nothing shared slipped through (a .so found in a system directory
# would quietly make the shipped binaries depend on it again).
function(gdprkit_bundled_deps_link)
  set_property(TARGET PkgConfig::SODIUM PROPERTY INTERFACE_LINK_LIBRARIES
               "${GDPRKIT_SODIUM_ARCHIVE};Threads::Threads")
  set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES
               "Threads::Threads;${CMAKE_DL_LIBS};m")
  set_property(TARGET PkgConfig::COINOR APPEND PROPERTY INTERFACE_LINK_LIBRARIES m)
  get_target_property(_coin PkgConfig::COINOR INTERFACE_LINK_LIBRARIES)
  get_target_property(_protobuf protobuf::libprotobuf IMPORTED_LOCATION)
  if(NOT _protobuf)
    get_target_property(_protobuf protobuf::libprotobuf IMPORTED_LOCATION_RELEASE)
  endif()
  set(_absl)
  foreach(_t base strings status synchronization time)
    get_target_property(_loc absl::${_t} IMPORTED_LOCATION_RELEASE)
    if(NOT _loc)
      get_target_property(_loc absl::${_t} IMPORTED_LOCATION)
    endif()
    list(APPEND _absl "${_loc}")
  endforeach()
  foreach(_lib ${_coin} ${_protobuf} ${_absl} ${GDPRKIT_SODIUM_ARCHIVE} ${SQLite3_LIBRARY})
    # glibc's own libraries (libm from COIN-OR's .pc file) are the system's.
    if(_lib MATCHES "^/" AND NOT _lib MATCHES "\\.a$"
       AND NOT _lib MATCHES "/lib(c|m|dl|pthread|rt)\\.so(\\.[0-9]+)?$")
      message(FATAL_ERROR "GDPRKIT_DEPS_PREFIX: ${_lib} is a shared library; every dependency "
                          "of the shipped binaries must be a static archive "
                          "(rerun scripts/build_deps.sh, or use a fresh build directory)")
    endif()
  endforeach()
endfunction()

# The glibc the shipped binaries need at least (cmake/glibc_compat.c): 2.28
# is RHEL 8's; Debian 11 and Ubuntu 20.04 have 2.31. manylinux_2_28.
set(GDPRKIT_GLIBC_FLOOR "2.28" CACHE STRING "The newest glibc symbol version a shipped binary may need")
set(GDPRKIT_GLIBC_WRAPPED
    pthread_create pthread_detach pthread_join pthread_getspecific pthread_setspecific
    pthread_key_create __pthread_key_create pthread_key_delete pthread_mutex_trylock
    pthread_mutexattr_init pthread_mutexattr_destroy pthread_mutexattr_settype pthread_once
    pthread_sigmask pthread_cond_clockwait dlopen dlsym dlclose dlerror __libc_start_main
    exp log log2 pow stat lstat fstat stat64 lstat64 fstat64 arc4random)

function(gdprkit_bundled_deps_ship target)
  if(NOT TARGET gdprkit_glibc_compat)
    add_library(gdprkit_glibc_compat OBJECT ${PROJECT_SOURCE_DIR}/cmake/glibc_compat.c)
    set_target_properties(gdprkit_glibc_compat PROPERTIES C_VISIBILITY_PRESET hidden)
  endif()
  set(_wraps)
  foreach(_symbol ${GDPRKIT_GLIBC_WRAPPED})
    list(APPEND _wraps "-Wl,--wrap=${_symbol}")
  endforeach()
  target_sources(${target} PRIVATE $<TARGET_OBJECTS:gdprkit_glibc_compat>)
  # Before glibc 2.34 the pthread and dl functions lived in libpthread.so.0
  # and libdl.so.2: named as needed even where they are empty today.
  target_link_options(${target} PRIVATE -static-libstdc++ -Wl,--exclude-libs,ALL ${_wraps}
                      -Wl,--no-as-needed -l:libpthread.so.0 -l:libdl.so.2)
  add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -DFILE=$<TARGET_FILE:${target}> -DFLOOR=${GDPRKIT_GLIBC_FLOOR}
              -DOBJDUMP=${CMAKE_OBJDUMP} -P ${PROJECT_SOURCE_DIR}/cmake/check_glibc_floor.cmake
      VERBATIM)
endfunction()
