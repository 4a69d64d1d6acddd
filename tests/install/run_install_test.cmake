# The install_consumer test: installs the current build into a fresh prefix
# with `cmake --install`, then builds and runs the consumer project in this
# folder against it in two ways:
#   1. CMake: find_package(gdprkit), gdprkit::c (C) and gdprkit::gdprkit (C++);
#   2. pkg-config: cc consumer.c $(pkg-config --cflags --libs gdprkit).
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
run("cc $(pkg-config --cflags --libs gdprkit)" ${CMAKE_COMMAND} -E env ${pc_env}
    sh -c "\"${C_COMPILER}\" -std=c99 -Wall -Wextra -pedantic -Werror \"${SOURCE_DIR}/consumer.c\" \$(\"${PKG_CONFIG}\" --cflags --libs gdprkit) -o \"${WORK_DIR}/consumer_pkgconfig\"")
run("run consumer_pkgconfig" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir}
    ${WORK_DIR}/consumer_pkgconfig)
message(STATUS "  ${run_output}")

# Kept on failure, for a look; removed on success.
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "install test passed (prefix ${prefix}, now removed)")
