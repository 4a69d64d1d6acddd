# The install_consumer test: installs the current build into a fresh prefix
# with `cmake --install`, then builds and runs the consumer project in this
# folder against it in these ways:
#   1. CMake: find_package(gdprkit), gdprkit::c (C) and gdprkit::gdprkit (C++);
#   2. CMake, C only (c_only/): find_package(gdprkit COMPONENTS c) while
#      Abseil, protobuf, SQLite and pkg-config cannot be found, as on a machine
#      without their -dev packages; asking for component cpp there fails with
#      a message that names them; then the runtime and dev components alone
#      (what the Debian packages gdprkit and gdprkit-dev hold) in a second prefix;
#   3. pkg-config: cc consumer.c $(pkg-config --cflags --libs gdprkit), which
#      names nothing but gdprkit.
# Run by CTest as
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DLIBDIR=...
#         -DGENERATOR=... -DC_COMPILER=... -DCXX_COMPILER=... -DPKG_CONFIG=...
#         -DVERSION=... [-DCONFIG=...] -P run_install_test.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR LIBDIR GENERATOR C_COMPILER CXX_COMPILER PKG_CONFIG
            VERSION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_install_test.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG RelWithDebInfo)
endif()

set(prefix ${WORK_DIR}/prefix)
set(libdir ${prefix}/${LIBDIR})
if(IS_ABSOLUTE "${LIBDIR}")
  set(libdir ${LIBDIR})
endif()

# Runs a command; fails the test with its output when it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# Runs a command that must fail, with output that contains each of the
# given regular expressions (EXPECT <regex>...).
function(run_fails what)
  cmake_parse_arguments(A "" "" "COMMAND;EXPECT" ${ARGN})
  execute_process(COMMAND ${A_COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${what} succeeded; it must fail:\n${A_COMMAND}\n${out}\n${err}")
  endif()
  # CMake wraps an error's lines: the patterns see single spaces.
  string(REGEX REPLACE "[ \n]+" " " all "${out}${err}")
  foreach(regex IN LISTS A_EXPECT)
    if(NOT all MATCHES "${regex}")
      message(FATAL_ERROR "${what} failed, but its output does not match '${regex}':\n${out}\n${err}")
    endif()
  endforeach()
  message(STATUS "${what}: failed as it must")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
foreach(f include/gdprkit.h include/gdprkit/policy.h include/gdprkit/basis.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${prefix}/${f}")
  endif()
endforeach()
foreach(f libgdprkit.so.0 cmake/gdprkit/gdprkitConfig.cmake cmake/gdprkit/gdprkitConfigVersion.cmake
          pkgconfig/gdprkit.pc)
  if(NOT EXISTS ${libdir}/${f})
    message(FATAL_ERROR "not installed: ${libdir}/${f}")
  endif()
endforeach()
# Nothing of the build tree leaks into the installed package files.
file(GLOB_RECURSE package_files ${libdir}/cmake/gdprkit/*.cmake ${libdir}/pkgconfig/gdprkit.pc)
foreach(f IN LISTS package_files)
  file(READ ${f} content)
  string(FIND "${content}" "${BUILD_DIR}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${f} refers to the build tree ${BUILD_DIR}")
  endif()
endforeach()

# 2. CMake consumer: C through gdprkit::c, C++ through gdprkit::gdprkit.
run("configure the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/cmake -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_C_COMPILER=${C_COMPILER}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -Dgdprkit_DIR=${libdir}/cmake/gdprkit
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake --config ${CONFIG})
foreach(exe consumer_c consumer_cpp)
  file(GLOB_RECURSE exe_path ${WORK_DIR}/cmake/${exe} ${WORK_DIR}/cmake/${exe}.exe)
  if(NOT exe_path)
    message(FATAL_ERROR "${exe} was not built")
  endif()
  list(GET exe_path 0 exe_path)
  run("run ${exe}" ${exe_path})
  message(STATUS "  ${run_output}")
endforeach()
# The C program uses the installed shared library, not the build tree's.
file(READ ${WORK_DIR}/cmake/CMakeCache.txt cache)
string(FIND "${cache}" "${BUILD_DIR}/" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the consumer's configuration refers to the build tree ${BUILD_DIR}")
endif()

# 2. C only. gdprkit's own dependencies are made unfindable, as on a machine
# with none of their -dev packages: find_package(gdprkit COMPONENTS c) must
# not look for them.
set(policy ${SOURCE_DIR}/../../examples/policies/kontakt_laege.textproto)
set(hidden -DCMAKE_DISABLE_FIND_PACKAGE_absl=ON -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON)
function(c_only name dir)  # c_only <name> <gdprkit_DIR> <cache options...>
  run("configure ${name}" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/c_only -B ${WORK_DIR}/${name}
      -G ${GENERATOR} -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_C_COMPILER=${C_COMPILER}
      -Dgdprkit_DIR=${dir} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF ${ARGN})
  set(run_output "${run_output}" PARENT_SCOPE)
endfunction()
function(c_only_fails name dir)  # c_only_fails <name> <gdprkit_DIR> <options> EXPECT <regex>...
  run_fails("configure ${name}"
            COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/c_only -B ${WORK_DIR}/${name} -G ${GENERATOR}
                    -DCMAKE_C_COMPILER=${C_COMPILER} -Dgdprkit_DIR=${dir}
                    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF ${ARGN})
endfunction()
c_only(c_only_hidden ${libdir}/cmake/gdprkit ${hidden} -DGDPRKIT_EXPECT_CPP=OFF)
run("build c_only_hidden" ${CMAKE_COMMAND} --build ${WORK_DIR}/c_only_hidden --config ${CONFIG})
file(GLOB_RECURSE exe_path ${WORK_DIR}/c_only_hidden/rights_row)
run("run rights_row (C only)" ${exe_path} ${policy} video-consultation)
message(STATUS "  ${run_output}")
# No COMPONENTS: gdprkit::c, and a status line instead of gdprkit::gdprkit.
c_only(c_only_hidden_default ${libdir}/cmake/gdprkit ${hidden} -DGDPRKIT_COMPONENTS=
       -DGDPRKIT_EXPECT_CPP=OFF)
if(NOT run_output MATCHES "gdprkit::c only; the C\\+\\+ component")
  message(FATAL_ERROR "no COMPONENTS, dependencies hidden: no status line says why "
                      "gdprkit::gdprkit is missing:\n${run_output}")
endif()
# Component cpp asked for where its dependencies cannot be found: a message
# that names them and the way out.
c_only_fails(c_only_hidden_cpp ${libdir}/cmake/gdprkit ${hidden} -DGDPRKIT_COMPONENTS=cpp
             EXPECT "C\\+\\+ component \\(cpp, target gdprkit::gdprkit\\) is not available"
                    "Abseil [0-9]+ \\(absl" "Protocol Buffers" "SQLite 3" "pkg-config \\(PkgConfig"
                    "find_package\\(gdprkit COMPONENTS c\\)")
c_only_fails(c_only_unknown ${libdir}/cmake/gdprkit -DGDPRKIT_COMPONENTS=java
             EXPECT "no component \"java\"")

# The runtime and dev components alone: the C ABI without the C++ library
# (not with an absolute CMAKE_INSTALL_LIBDIR, which no second prefix can move).
if(IS_ABSOLUTE "${LIBDIR}")
  message(STATUS "components runtime and dev alone: not tested (absolute libdir ${LIBDIR})")
else()
  set(c_prefix ${WORK_DIR}/c-prefix)
  set(c_libdir ${c_prefix}/${LIBDIR})
  foreach(component runtime dev)
    run("cmake --install --component ${component}" ${CMAKE_COMMAND} --install ${BUILD_DIR}
        --prefix ${c_prefix} --config ${CONFIG} --component ${component})
  endforeach()
  foreach(f include/gdprkit/policy.h include/gdprkit/vault.h ${LIBDIR}/libgdprkit_cpp.a
            ${LIBDIR}/cmake/gdprkit/gdprkit-cpp-targets.cmake)
    if(EXISTS ${c_prefix}/${f})
      message(FATAL_ERROR "components runtime and dev installed ${f}, which belongs to cpp")
    endif()
  endforeach()
  c_only(c_only_components ${c_libdir}/cmake/gdprkit -DGDPRKIT_EXPECT_CPP=OFF)
  run("build c_only_components" ${CMAKE_COMMAND} --build ${WORK_DIR}/c_only_components
      --config ${CONFIG})
  file(GLOB_RECURSE exe_path ${WORK_DIR}/c_only_components/rights_row)
  run("run rights_row (runtime + dev)" ${exe_path} ${policy} video-consultation)
  c_only_fails(c_only_components_cpp ${c_libdir}/cmake/gdprkit -DGDPRKIT_COMPONENTS=cpp
               EXPECT "files are not installed" "package gdprkit-cpp-dev")
endif()

# 3. pkg-config consumer, exactly as a user types it. PKG_CONFIG_LIBDIR holds
# only the fresh prefix, so no other gdprkit.pc on the machine can answer.
set(pc_env PKG_CONFIG_LIBDIR=${libdir}/pkgconfig PKG_CONFIG_PATH=)
run("pkg-config --modversion" ${CMAKE_COMMAND} -E env ${pc_env} ${PKG_CONFIG} --modversion gdprkit)
string(STRIP "${run_output}" modversion)
if(NOT modversion STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says gdprkit ${modversion}; the build is ${VERSION}")
endif()
run("pkg-config --cflags --libs" ${CMAKE_COMMAND} -E env ${pc_env} ${PKG_CONFIG} --cflags --libs gdprkit)
message(STATUS "  ${run_output}")
# The C library names nothing but itself, shared or --static.
foreach(flags "--libs" "--static;--libs" "--print-requires" "--print-requires-private")
  run("pkg-config ${flags}" ${CMAKE_COMMAND} -E env ${pc_env} ${PKG_CONFIG} ${flags} gdprkit)
  string(STRIP "${run_output}" out)
  if(flags MATCHES "libs" AND NOT out MATCHES "^(-L[^ ]+ )?-lgdprkit$")
    message(FATAL_ERROR "pkg-config ${flags} gdprkit names more than gdprkit: ${out}")
  elseif(flags MATCHES "requires" AND NOT out STREQUAL "")
    message(FATAL_ERROR "pkg-config ${flags} gdprkit names packages: ${out}")
  endif()
endforeach()
run("cc $(pkg-config --cflags --libs gdprkit)" ${CMAKE_COMMAND} -E env ${pc_env}
    sh -c "\"${C_COMPILER}\" -std=c99 -Wall -Wextra -pedantic -Werror \"${SOURCE_DIR}/consumer.c\" \$(\"${PKG_CONFIG}\" --cflags --libs gdprkit) -o \"${WORK_DIR}/consumer_pkgconfig\"")
run("run consumer_pkgconfig" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir}
    ${WORK_DIR}/consumer_pkgconfig)
message(STATUS "  ${run_output}")

# Kept on failure, for a look; removed on success.
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "install test passed (prefix ${prefix}, now removed)")
