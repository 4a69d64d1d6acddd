# Compares the dynamic symbols libgdprkit.so defines with the reviewed list
# tests/c/exported_symbols.txt, and that list with the functions
# include/gdprkit.h declares GDPRKIT_API. Run by the c_exported_symbols test:
#   cmake -DNM=<nm> -DLIBRARY=<libgdprkit.so> -DEXPECTED_DIR=<tests/c> -DINCLUDE_DIR=<include>
#         -P check_exported_symbols.cmake
# A symbol added or removed on purpose is added to or removed from the list
# in the same change (docs/api-stability.md).
foreach(var NM LIBRARY EXPECTED_DIR INCLUDE_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_exported_symbols.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
                OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${LIBRARY} failed (${nm_rc}): ${nm_err}")
endif()

# "<address> <type> <name>[@@<version>]"; type A lines are the version
# nodes themselves (GDPRKIT_0), listed as such.
string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(actual)
foreach(line IN LISTS nm_lines)
  if(line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) (.+)$")
    set(type "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    if(type STREQUAL "A")
      # GNU nm prints the node as "GDPRKIT_0", llvm-nm as "GDPRKIT_0@@GDPRKIT_0".
      string(REGEX REPLACE "@.*$" "" name "${name}")
      list(APPEND actual "version-node ${name}")
    else()
      list(APPEND actual "${name}")
    endif()
  endif()
endforeach()
list(SORT actual)

# One reviewed list per area (exported_symbols.txt, exported_symbols_vault.txt,
# ...), and the C declarations in gdprkit.h plus the area headers it includes.
file(GLOB expected_files ${EXPECTED_DIR}/exported_symbols*.txt)
set(EXPECTED "${EXPECTED_DIR}/exported_symbols*.txt")
file(GLOB area_headers ${INCLUDE_DIR}/gdprkit/c/*.h)
set(HEADER "${INCLUDE_DIR}/gdprkit.h and ${INCLUDE_DIR}/gdprkit/c/*.h")
set(expected)
foreach(f IN LISTS expected_files)
  file(STRINGS ${f} f_lines)
  foreach(line IN LISTS f_lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    list(APPEND expected "${line}")
  endforeach()
endforeach()
list(SORT expected)

set(missing ${expected})
list(REMOVE_ITEM missing ${actual})
set(extra ${actual})
list(REMOVE_ITEM extra ${expected})

# Every GDPRKIT_API function of the header is in the list (and so exported),
# and every listed function is declared.
set(header "")
foreach(h ${INCLUDE_DIR}/gdprkit.h ${area_headers})
  file(READ ${h} h_text)
  string(APPEND header "${h_text}\n")
endforeach()
string(REGEX MATCHALL "GDPRKIT_API[^;(]*[ *\n](gdprkit_[a-z0-9_]+)\\(" decls "${header}")
set(declared)
foreach(d IN LISTS decls)
  string(REGEX MATCH "(gdprkit_[a-z0-9_]+)\\($" m "${d}")
  list(APPEND declared "${CMAKE_MATCH_1}")
endforeach()
set(listed_functions)
foreach(e IN LISTS expected)
  if(e MATCHES "^(gdprkit_[a-z0-9_]+)(@|$)")
    list(APPEND listed_functions "${CMAKE_MATCH_1}")
  endif()
endforeach()
set(undeclared ${listed_functions})
list(REMOVE_ITEM undeclared ${declared})
set(unlisted ${declared})
list(REMOVE_ITEM unlisted ${listed_functions})

set(problems "")
if(missing)
  string(REPLACE ";" "\n  " t "${missing}")
  string(APPEND problems "listed but not exported by ${LIBRARY}:\n  ${t}\n")
endif()
if(extra)
  string(REPLACE ";" "\n  " t "${extra}")
  string(APPEND problems "exported by ${LIBRARY} but not listed in ${EXPECTED}:\n  ${t}\n")
endif()
if(unlisted)
  string(REPLACE ";" "\n  " t "${unlisted}")
  string(APPEND problems "declared GDPRKIT_API in ${HEADER} but not listed:\n  ${t}\n")
endif()
if(undeclared)
  string(REPLACE ";" "\n  " t "${undeclared}")
  string(APPEND problems "listed but not declared GDPRKIT_API in ${HEADER}:\n  ${t}\n")
endif()
list(LENGTH actual n_actual)
list(LENGTH declared n_declared)
if(problems)
  message(FATAL_ERROR "exported symbols differ from the reviewed list:\n${problems}")
endif()
message(STATUS "${n_actual} dynamic symbols match ${EXPECTED}; ${n_declared} functions declared")
