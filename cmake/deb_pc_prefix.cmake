# CPACK_PRE_BUILD_SCRIPTS for the Debian packages (cmake/install.cmake): runs
# on the staged files before each package is made.
#
# gdprkit.pc finds its prefix relative to itself (prefix=${pcfiledir}/...), so
# that an install may be moved. A package's files never move, and there that
# spelling would give `-I/usr/lib/<triplet>/pkgconfig/../../../include` and a
# like -L: in the packages, the prefix is written out (/usr), so that
# pkg-config recognises the system directories and says just -lgdprkit.
file(GLOB_RECURSE _pc_files "${CPACK_TEMPORARY_DIRECTORY}/gdprkit.pc")
list(FILTER _pc_files INCLUDE REGEX "/pkgconfig/gdprkit\\.pc$")
foreach(_pc IN LISTS _pc_files)
  file(READ "${_pc}" _text)
  string(REGEX REPLACE "(^|\n)prefix=[^\n]*" "\\1prefix=${CPACK_PACKAGING_INSTALL_PREFIX}" _new
         "${_text}")
  string(REPLACE "# Paths are relative to this file, so the installed tree may be moved.\n" ""
         _new "${_new}")
  if(_new STREQUAL _text)
    message(FATAL_ERROR "deb_pc_prefix.cmake: no prefix= line in ${_pc}")
  endif()
  file(WRITE "${_pc}" "${_new}")
  message(STATUS "gdprkit.pc in the package: prefix=${CPACK_PACKAGING_INSTALL_PREFIX}")
endforeach()
if(NOT _pc_files)
  message(STATUS "deb_pc_prefix.cmake: no gdprkit.pc under ${CPACK_TEMPORARY_DIRECTORY}")
endif()
