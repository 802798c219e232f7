# Installing and packaging Switchboard: the console with its desktop entry, icon and AppStream
# metadata, and the local stack's scripts. The agent (library, headers, CMake package), the demo
# and the audit tool install themselves from backend-agent/. `cpack` in the build folder makes
# one Debian package of everything installed (switchboard_<version>_amd64.deb).
install(TARGETS switchboard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/resources/switchboard.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/switchboard.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# AppStream wants the file named after the component id it holds.
install(FILES ${PROJECT_SOURCE_DIR}/resources/switchboard.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo
        RENAME io.github.switchboard.Switchboard.metainfo.xml)

# The stack and the demo's knobs are standalone python3 scripts: they live together in the
# package's data folder and are on PATH as switchboard-stack and switchboard-demo-knobs.
set(switchboard_scripts_dir ${CMAKE_INSTALL_DATADIR}/switchboard/scripts)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/stack ${PROJECT_SOURCE_DIR}/scripts/demo-knobs
        DESTINATION ${switchboard_scripts_dir})
foreach(script stack demo-knobs)
  file(RELATIVE_PATH target /${CMAKE_INSTALL_BINDIR} /${switchboard_scripts_dir}/${script})
  file(CREATE_LINK ${target} ${CMAKE_CURRENT_BINARY_DIR}/switchboard-${script} SYMBOLIC)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/switchboard-${script}
          DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()

set(CPACK_PACKAGE_NAME "switchboard")
set(CPACK_PACKAGE_VENDOR "Switchboard developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Desktop console for backend services that embed the Switchboard agent")
set(CPACK_PACKAGE_CONTACT "Switchboard developers")
set(CPACK_GENERATOR "DEB")
# One package of every installed file, whatever its component: a new install() line anywhere
# in the project is packaged without a change here (tests/ and bench/ install nothing).
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_DEBIAN_PACKAGE_NAME "switchboard")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Switchboard developers")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Runtime libraries (Qt, libpqxx, hiredis, civetweb, ...) found by dpkg-shlibdeps from what the
# executables and libraries link; the package's own agent library is found in the package.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
# What no linked library pulls in: the SVG icon (libqt6svg6) and the X11 platform plugins Qt
# loads; python3 for the stack's scripts; libssl-dev because civetweb opens OpenSSL by the
# unversioned names libssl.so and libcrypto.so, which only the -dev package provides.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, qt6-qpa-plugins, python3, libssl-dev")
# The local stack's servers are for trying Switchboard out and for development, not for an
# operator's workstation, so they are recommended (the minimal profile's) or suggested (the
# full profile's), not required; likewise prometheus-cpp-dev, which find_package(switchboard)
# needs only to build a backend that embeds the agent.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-15, redis-server, prometheus-cpp-dev")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "patroni, etcd-server, etcd-client, haproxy, prometheus")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Switchboard shows live health, request rates and events of backend services through\n"
    "the agent they embed. The package holds the console, the agent's library, headers and\n"
    "CMake package (find_package(switchboard)), the demo backend, the audit log verifier and\n"
    "the scripts that start a local stack of PostgreSQL, Redis and Patroni servers.")
# Debian ships binaries without their debugging information.
set(CPACK_STRIP_FILES ON)
include(CPack)
