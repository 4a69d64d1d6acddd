# cmake -DFILE=<binary> -DFLOOR=<major.minor> -DOBJDUMP=<objdump> -P check_glibc_floor.cmake
#
# Fails when a shipped binary asks for a glibc symbol version newer than the
# floor, or for libstdc++'s (GLIBCXX_/CXXABI_: it must carry its own), naming
# the symbols: run after every link of a shipped binary, so that a new call
# into glibc cannot quietly raise the floor (cmake/glibc_compat.c).
execute_process(COMMAND ${OBJDUMP} -T ${FILE} OUTPUT_VARIABLE _syms RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "objdump -T ${FILE} failed")
endif()
string(REPLACE "\n" ";" _lines "${_syms}")
set(_newer)
foreach(_line IN LISTS _lines)
  if(_line MATCHES "\\(?(GLIBC_([0-9]+)\\.([0-9]+)(\\.[0-9]+)?)\\)?[ \t]+([^ \t]+)$")
    set(_version "${CMAKE_MATCH_2}.${CMAKE_MATCH_3}")
    if(_version VERSION_GREATER FLOOR)
      list(APPEND _newer "${CMAKE_MATCH_5}@${CMAKE_MATCH_1}")
    endif()
  elseif(_line MATCHES "(GLIBCXX_|CXXABI_)[0-9.]+\\)?[ \t]+([^ \t]+)$")
    list(APPEND _newer "${CMAKE_MATCH_2} (libstdc++, which the binary must carry itself)")
  endif()
endforeach()
if(_newer)
  list(REMOVE_DUPLICATES _newer)
  list(JOIN _newer ", " _list)
  get_filename_component(_name ${FILE} NAME)
  message(FATAL_ERROR "${_name} needs more than glibc ${FLOOR}: ${_list}. Add the symbol to "
                      "cmake/glibc_compat.c and GDPRKIT_GLIBC_WRAPPED in cmake/bundled_deps.cmake.")
endif()
