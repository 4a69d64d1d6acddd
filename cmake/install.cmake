# --- Install, package config, Debian packages ----------------------------------
#
# Three install components, one Debian package each (cpack in the build dir):
#
#   runtime  gdprkit          libgdprkit.so.0.x + its .so.0 link, the gdprkit CLI,
#                             /usr/share/doc/gdprkit/copyright
#   dev      gdprkit-dev      the C ABI's headers (<gdprkit.h>, <gdprkit/c/*.h>), the
#                             libgdprkit.so link, gdprkit.pc, the CMake package with
#                             component c (gdprkit::c), the .proto schemas
#   cpp      gdprkit-cpp-dev  the C++ headers (<gdprkit/*.h>), the static libgdprkit_cpp.a
#                             and the CMake files of component cpp (gdprkit::gdprkit)
#
# The C++ library is a package of its own because its users need what a C
# user must not: a static library leaves its dependencies to the final link,
# and its headers include Abseil's, so gdprkit-cpp-dev depends on the -dev
# packages of Abseil, protobuf, libsodium, SQLite and COIN-OR, pinned to the
# releases it was compiled against (Abseil's inline namespace and protobuf's
# generated code change with every release). gdprkit-dev, for C callers,
# depends on the runtime package only.
#
# `cmake --install <build>` installs all three; `--component runtime` etc. one.
# The CMake package (cmake/gdprkitConfig.cmake.in) loads component cpp only
# when asked for, or when its files and its dependencies are there.
#
# The Debian packages are laid out for /usr (CPACK_PACKAGING_INSTALL_PREFIX),
# with the libraries in CMAKE_INSTALL_LIBDIR: configure the build dir with
# -DCMAKE_INSTALL_PREFIX=/usr to get Debian's multiarch lib/<triplet>
# (GNUInstallDirs chooses it for that prefix only; scripts/test_deb.sh does so).
if(DEFINED SKBUILD)
  return()
endif()

set(_gdprkit_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/gdprkit)

# runtime
install(TARGETS gdprkit_c EXPORT gdprkit-c-targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
if(GDPRKIT_BUILD_TOOLS)
  install(TARGETS gdprkit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
endif()

# dev: the C ABI
install(FILES include/gdprkit.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(DIRECTORY include/gdprkit/c DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gdprkit
        COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(FILES ${GDPRKIT_PROTOS} DESTINATION ${CMAKE_INSTALL_DATADIR}/gdprkit/proto/gdprkit/v1
        COMPONENT dev)
install(EXPORT gdprkit-c-targets NAMESPACE gdprkit:: DESTINATION ${_gdprkit_cmakedir}
        COMPONENT dev)

# cpp: the C++ library
install(DIRECTORY include/gdprkit/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gdprkit COMPONENT cpp
        FILES_MATCHING PATTERN "*.h" PATTERN "c" EXCLUDE)
install(TARGETS gdprkit_core EXPORT gdprkit-cpp-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT cpp)
install(EXPORT gdprkit-cpp-targets NAMESPACE gdprkit:: DESTINATION ${_gdprkit_cmakedir}
        COMPONENT cpp)
# A stripped install (cpack, `cmake --install --strip`) strips executables and
# shared libraries; the archive keeps its symbols but loses its debug sections,
# as Debian's own static libraries do.
if(CMAKE_STRIP)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
        \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:gdprkit_core>\"
        RESULT_VARIABLE _rc)
      if(NOT _rc EQUAL 0)
        message(FATAL_ERROR \"strip --strip-debug $<TARGET_FILE_NAME:gdprkit_core> failed\")
      endif()
    endif()" COMPONENT cpp)
endif()

# The CMake package: gdprkitConfig.cmake and its version file, with the C
# targets (component dev); the C++ targets come with component cpp. What
# component cpp needs is found by the versions the build used:
set(GDPRKIT_CPP_ABSL_VERSION "${absl_VERSION}")
set(GDPRKIT_CPP_PROTOBUF_VERSION "${Protobuf_VERSION}")
configure_package_config_file(cmake/gdprkitConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfig.cmake
    INSTALL_DESTINATION ${_gdprkit_cmakedir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfigVersion.cmake
        DESTINATION ${_gdprkit_cmakedir} COMPONENT dev)

# gdprkit.pc finds its prefix relative to itself (${pcfiledir}), so that
# `cmake --install --prefix <dir>` and moved installs give the right paths.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(GDPRKIT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(GDPRKIT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _gdprkit_pc_up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _gdprkit_pc_up "${_gdprkit_pc_up}")
  set(GDPRKIT_PC_PREFIX "\${pcfiledir}/${_gdprkit_pc_up}")
  set(GDPRKIT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(GDPRKIT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(GDPRKIT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/gdprkit.pc.in ${CMAKE_CURRENT_BINARY_DIR}/gdprkit.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/gdprkit.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# Copyright: LICENSE, in each package's /usr/share/doc/<package>/ (Debian
# policy 12.5). Binaries built with GDPRKIT_DEPS_PREFIX carry their
# dependencies: their licence texts go with the runtime package.
file(READ ${PROJECT_SOURCE_DIR}/LICENSE _gdprkit_copyright)
if(GDPRKIT_DEPS_PREFIX AND IS_DIRECTORY "${GDPRKIT_DEPS_PREFIX}/share/licenses")
  string(APPEND _gdprkit_copyright "
Third-party software linked into this package's library and command-line tool
==============================================================================

libgdprkit.so.${GDPRKIT_ABI_VERSION} and gdprkit carry static copies of the libraries below; each
one's licence and copyright texts are in /usr/share/doc/gdprkit/licenses/<name>/.
")
  file(GLOB _gdprkit_bundled LIST_DIRECTORIES true RELATIVE "${GDPRKIT_DEPS_PREFIX}/share/licenses"
       "${GDPRKIT_DEPS_PREFIX}/share/licenses/*")
  foreach(_name IN LISTS _gdprkit_bundled)
    string(APPEND _gdprkit_copyright "  ${_name}\n")
  endforeach()
  install(DIRECTORY ${GDPRKIT_DEPS_PREFIX}/share/licenses/
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/gdprkit/licenses COMPONENT runtime)
endif()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/copyright "${_gdprkit_copyright}")

# --- Debian packages (CPack) -----------------------------------------------------
set(GDPRKIT_DEB_COMPONENTS runtime dev cpp)
set(GDPRKIT_DEB_PACKAGES gdprkit gdprkit-dev gdprkit-cpp-dev)
foreach(_component _package IN ZIP_LISTS GDPRKIT_DEB_COMPONENTS GDPRKIT_DEB_PACKAGES)
  string(TOUPPER ${_component} _upper)
  set(CPACK_DEBIAN_${_upper}_PACKAGE_NAME ${_package})
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/copyright
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_package} COMPONENT ${_component})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gdprkit)
set(CPACK_PACKAGE_VENDOR "gdprkit developers")
set(CPACK_PACKAGE_CONTACT "gdprkit developers <gdprkit@invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${GDPRKIT_DEB_COMPONENTS})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <package>_<version>_<arch>.deb
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# gdprkit.pc with its prefix written out (/usr) in the package (CMake 3.19+).
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/deb_pc_prefix.cmake)
# Depends: what the ELF files need, from dpkg-shlibdeps (glibc alone once the
# dependencies are linked in, GDPRKIT_DEPS_PREFIX), plus each component's
# DEPENDS below at exactly this version.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# DEBIAN/shlibs: a program built against this version needs at least it.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# Each description's first line is its package's summary: an empty common
# summary keeps CPack from putting the same line before all three.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
"GDPR primitives for Danish health-sector software (library and tool)
gdprkit checks lawful bases and data-subject rights of a record of processing
activities, schedules and logs retention deletions, suppresses small cells of
published tables with an audit, and keeps a pseudonymisation vault for CPR,
ydernummer, CVR and GLN numbers.

This package holds the shared library libgdprkit.so.${GDPRKIT_ABI_VERSION} with the stable C ABI,
and the gdprkit command-line tool.")
# ldconfig through the trigger Debian's library packages use (a triggers file
# with `activate-noawait ldconfig`); the two maintainer scripts only replace
# the ones CPack would write to call ldconfig directly.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/cmake/debian/triggers ${PROJECT_SOURCE_DIR}/cmake/debian/postinst
    ${PROJECT_SOURCE_DIR}/cmake/debian/postrm)

set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION
"GDPR primitives for Danish health-sector software (C development files)
The headers of gdprkit's stable C ABI (gdprkit.h), the libgdprkit.so link,
gdprkit.pc for pkg-config, the CMake package (find_package(gdprkit COMPONENTS c),
target gdprkit::c) and the protobuf schemas of the messages that cross the ABI.
A C program built with these needs no other development package.")

# The C++ component's dependencies, as Debian packages, at the releases this
# build found (cmake/gdprkitConfig.cmake.in finds the same for its users).
string(REGEX MATCH "^[0-9]+" _gdprkit_absl_lts "${absl_VERSION}")
math(EXPR _gdprkit_absl_next "${_gdprkit_absl_lts} + 1")
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _gdprkit_protobuf_minor "${Protobuf_VERSION}")
math(EXPR _gdprkit_protobuf_next "${CMAKE_MATCH_2} + 1")
set(_gdprkit_protobuf_next "${CMAKE_MATCH_1}.${_gdprkit_protobuf_next}")
set(CPACK_DEBIAN_CPP_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_CPP_PACKAGE_DEPENDS
    "libabsl-dev (>= ${_gdprkit_absl_lts}), libabsl-dev (<< ${_gdprkit_absl_next})"
    "libprotobuf-dev (>= ${Protobuf_VERSION}), libprotobuf-dev (<< ${_gdprkit_protobuf_next})"
    "libsodium-dev (>= ${SODIUM_VERSION})"
    "libsqlite3-dev (>= ${SQLite3_VERSION})"
    "coinor-libcbc-dev (>= ${COINOR_cbc_VERSION})"
    "coinor-libclp-dev (>= ${COINOR_clp_VERSION})"
    "pkgconf | pkg-config")
list(JOIN CPACK_DEBIAN_CPP_PACKAGE_DEPENDS ", " CPACK_DEBIAN_CPP_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_CPP_DESCRIPTION
"GDPR primitives for Danish health-sector software (C++ development files)
The C++ API of gdprkit: its headers, the static library libgdprkit_cpp.a and
the CMake package's component cpp (find_package(gdprkit COMPONENTS cpp),
target gdprkit::gdprkit). Programs that link it also link Abseil, Protocol
Buffers, libsodium, SQLite and COIN-OR CBC/CLP, whose development packages
this one depends on. C programs need gdprkit-dev only.")

include(CPack)
cpack_add_component(runtime DISPLAY_NAME "gdprkit library and tool")
cpack_add_component(dev DISPLAY_NAME "gdprkit C development files" DEPENDS runtime)
cpack_add_component(cpp DISPLAY_NAME "gdprkit C++ development files" DEPENDS dev)
