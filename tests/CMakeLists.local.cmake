# Extra tests of the C ABI and the installed package, beyond the conventional
# tests/cpp/*_test.cc and tests/c/*_test.c (included by tests/CMakeLists.txt).
#
#   c_header_*            include/gdprkit.h compiles alone, warning-free, as
#                         C99, C11, C++11 and C++17 (-Wall -Wextra -pedantic
#                         -Werror), with each compiler found (gcc, clang)
#   c_exported_symbols    libgdprkit.so exports exactly tests/c/exported_symbols*.txt
#   install_consumer      cmake --install, then a consumer project through
#                         find_package(gdprkit) and through pkg-config (label install)

# ---- Settings of the conventional C tests -----------------------------------
if(TARGET c_policy_errors_test)
  # The header's version macros must match project(VERSION) and the soname.
  target_compile_definitions(c_policy_errors_test PRIVATE
      GDPRKIT_EXPECTED_VERSION="${PROJECT_VERSION}"
      GDPRKIT_EXPECTED_ABI_VERSION=${GDPRKIT_ABI_VERSION})
endif()
if(TARGET c_threads_test)
  find_package(Threads REQUIRED)
  target_link_libraries(c_threads_test PRIVATE Threads::Threads)
endif()
if(TARGET c_suppression_threads_test)
  find_package(Threads REQUIRED)
  target_link_libraries(c_suppression_threads_test PRIVATE Threads::Threads)
  set_tests_properties(c_suppression_threads_test PROPERTIES TIMEOUT 300)
endif()
if(TARGET c_oom_test)
  # Skipped (77) without glibc or under sanitizers.
  # Its malloc replaces libc's for the whole process (libstdc++'s operator new
  # included) only when the executable exports it.
  set_target_properties(c_oom_test PROPERTIES ENABLE_EXPORTS ON)
  set_tests_properties(c_oom_test PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
  # The same for gdprkit_policy_validate. (Validate() keeps its ids in std
  # containers: absl::flat_hash_map/set corrupt themselves when an allocation
  # fails while they grow, abseil-cpp issue #1581.)
  add_test(NAME c_oom_test_validate COMMAND c_oom_test validate)
  set_tests_properties(c_oom_test_validate PROPERTIES LABELS c SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()
if(TARGET c_retention_oom_test)
  # The same for the retention entry points (tests/c/retention_oom_test.c): it
  # replaces malloc/calloc/realloc/free, fails each allocation of each call in
  # turn and counts what a call leaves allocated. Skipped (77) without glibc
  # or under sanitizers.
  set_target_properties(c_retention_oom_test PROPERTIES ENABLE_EXPORTS ON)
  set_tests_properties(c_retention_oom_test PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()

if(GDPRKIT_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "Clang")
  # The C tests are compiled as C, but libgdprkit.so is C++ built with
  # -fsanitize=undefined (vptr, function), whose runtime part clang adds only
  # when the C++ driver links: link them as C++.
  file(GLOB _gdprkit_c_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/c/*_test.c)
  foreach(src IN LISTS _gdprkit_c_tests)
    get_filename_component(_name ${src} NAME_WE)
    if(TARGET c_${_name})
      set_target_properties(c_${_name} PROPERTIES LINKER_LANGUAGE CXX)
    endif()
  endforeach()
endif()

# ---- The header alone, in C and C++ -------------------------------------------
set(_gdprkit_header_check ${CMAKE_CURRENT_SOURCE_DIR}/c/header_check.c)
set(_gdprkit_header_flags -Wall -Wextra -pedantic -Werror -fsyntax-only
    -I${PROJECT_SOURCE_DIR}/include)

set(_gdprkit_c_compilers ${CMAKE_C_COMPILER})
set(_gdprkit_cxx_compilers ${CMAKE_CXX_COMPILER})
find_program(GDPRKIT_CLANG clang)
find_program(GDPRKIT_CLANGXX clang++)
if(GDPRKIT_CLANG AND NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  list(APPEND _gdprkit_c_compilers ${GDPRKIT_CLANG})
endif()
if(GDPRKIT_CLANGXX AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  list(APPEND _gdprkit_cxx_compilers ${GDPRKIT_CLANGXX})
endif()

foreach(cc IN LISTS _gdprkit_c_compilers)
  get_filename_component(_name ${cc} NAME_WE)
  foreach(std c99 c11)
    add_test(NAME c_header_${std}_${_name}
             COMMAND ${cc} -std=${std} ${_gdprkit_header_flags} -Wstrict-prototypes
                     -Wmissing-prototypes -Wshadow -x c ${_gdprkit_header_check})
    set_tests_properties(c_header_${std}_${_name} PROPERTIES LABELS c)
  endforeach()
endforeach()
foreach(cxx IN LISTS _gdprkit_cxx_compilers)
  get_filename_component(_name ${cxx} NAME)
  string(REPLACE "+" "x" _name "${_name}")
  foreach(std c++11 c++17)
    string(REPLACE "+" "x" _std "${std}")
    add_test(NAME c_header_${_std}_${_name}
             COMMAND ${cxx} -std=${std} ${_gdprkit_header_flags} -Wshadow -Wold-style-cast
                     -x c++ ${_gdprkit_header_check})
    set_tests_properties(c_header_${_std}_${_name} PROPERTIES LABELS c)
  endforeach()
endforeach()

# ---- Exported symbols ------------------------------------------------------------
find_program(GDPRKIT_NM NAMES ${CMAKE_NM} nm)
if(GDPRKIT_NM)
  add_test(NAME c_exported_symbols
           COMMAND ${CMAKE_COMMAND} -DNM=${GDPRKIT_NM} -DLIBRARY=$<TARGET_FILE:gdprkit_c>
                   -DEXPECTED_DIR=${CMAKE_CURRENT_SOURCE_DIR}/c
                   -DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/c/check_exported_symbols.cmake)
  set_tests_properties(c_exported_symbols PROPERTIES LABELS c)
else()
  message(WARNING "nm not found: the exported-symbol test is not registered")
endif()

# ---- Install and consume ----------------------------------------------------------
if(NOT DEFINED SKBUILD)
  find_program(GDPRKIT_PKG_CONFIG NAMES pkg-config pkgconf)
  # Outside the build tree, so the test can tell installed files from build
  # files; one folder per build tree.
  if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
    set(_gdprkit_tmp "$ENV{TMPDIR}")
  else()
    set(_gdprkit_tmp /tmp)
  endif()
  string(MD5 _gdprkit_build_hash "${PROJECT_BINARY_DIR}")
  string(SUBSTRING "${_gdprkit_build_hash}" 0 12 _gdprkit_build_hash)
  add_test(NAME install_consumer
           COMMAND ${CMAKE_COMMAND}
                   -DBUILD_DIR=${PROJECT_BINARY_DIR}
                   -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}/install
                   -DWORK_DIR=${_gdprkit_tmp}/gdprkit-install-test-${_gdprkit_build_hash}
                   -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
                   "-DGENERATOR=${CMAKE_GENERATOR}"
                   -DC_COMPILER=${CMAKE_C_COMPILER}
                   -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
                   -DPKG_CONFIG=${GDPRKIT_PKG_CONFIG}
                   -DVERSION=${PROJECT_VERSION}
                   -DCONFIG=$<CONFIG>
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/install/run_install_test.cmake)
  set_tests_properties(install_consumer PROPERTIES LABELS install TIMEOUT 900 RUN_SERIAL ON)
endif()
