# Installs the agent for backends that embed it: the shared library, its public headers, the
# civetweb/OpenSSL 3 compatibility library, and the CMake package `switchboard`, so an outside
# project writes find_package(switchboard 0.1 REQUIRED) and links switchboard::agent.
include(CMakePackageConfigHelpers)

set(switchboard_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/switchboard)
set_target_properties(switchboard-agent PROPERTIES EXPORT_NAME agent)
set_target_properties(switchboard-protocol PROPERTIES EXPORT_NAME protocol)

install(TARGETS switchboard-agent switchboard-protocol EXPORT switchboard-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/switchboard DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Its soname is "libssl.so": in a folder ldconfig scans, ldconfig would point the system's
# libssl.so link at it. A private folder keeps it out of ldconfig's way; civetweb_tls.cpp looks
# there (SWITCHBOARD_CIVETWEB_COMPAT_SUBDIR) beside the agent's library.
install(TARGETS switchboard-civetweb-openssl3
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/${SWITCHBOARD_CIVETWEB_COMPAT_SUBDIR})

install(EXPORT switchboard-targets NAMESPACE switchboard:: FILE switchboardTargets.cmake
  DESTINATION ${switchboard_cmake_dir})
configure_package_config_file(cmake/switchboardConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/switchboardConfig.cmake
  INSTALL_DESTINATION ${switchboard_cmake_dir})
# Before 1.0 a minor version may change the interface, so 0.1 accepts 0.1.x only.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/switchboardConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/switchboardConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/switchboardConfigVersion.cmake DESTINATION ${switchboard_cmake_dir})
