# --- Install and package config ----------------------------------------------
if(NOT DEFINED SKBUILD)
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.h")
  install(TARGETS gdprkit_core gdprkit_c EXPORT gdprkitTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(GDPRKIT_BUILD_TOOLS)
    install(TARGETS gdprkit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
  install(FILES ${GDPRKIT_PROTOS} DESTINATION ${CMAKE_INSTALL_DATADIR}/gdprkit/proto/gdprkit/v1)
  install(EXPORT gdprkitTargets NAMESPACE gdprkit::
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdprkit)
  configure_package_config_file(cmake/gdprkitConfig.cmake.in
      ${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfig.cmake
      INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdprkit)
  write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfigVersion.cmake
      COMPATIBILITY SameMinorVersion)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfig.cmake
                ${CMAKE_CURRENT_BINARY_DIR}/gdprkitConfigVersion.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdprkit)
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
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
