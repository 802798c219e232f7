# Installing and packaging the console: the switchboard executable, its desktop entry and its
# icon, and a Debian package of them (cpack -G DEB in the build folder).
install(TARGETS switchboard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT console)
install(FILES ${PROJECT_SOURCE_DIR}/resources/switchboard.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT console)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/switchboard.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT console)

set(CPACK_PACKAGE_NAME "switchboard")
set(CPACK_PACKAGE_VENDOR "Switchboard developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Desktop console for backend services that embed the Switchboard agent")
set(CPACK_PACKAGE_CONTACT "Switchboard developers")
set(CPACK_GENERATOR "DEB")
# Only the console component goes into the package: the demo backend and anything else the
# project installs stay out of an operator's workstation.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL console)
set(CPACK_DEBIAN_PACKAGE_NAME "switchboard")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME "switchboard")
set(CPACK_DEBIAN_CONSOLE_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Switchboard developers")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Runtime libraries (Qt, ...) found by dpkg-shlibdeps from what the executable links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Plugins no linked library pulls in: the SVG icon (libqt6svg6) and the X11 platform.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, qt6-qpa-plugins")
set(CPACK_PACKAGE_DESCRIPTION
    "Switchboard shows live health, request rates and events of backend services through the "
    "agent they embed.")
include(CPack)
