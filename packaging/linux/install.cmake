# SPDX-License-Identifier: GPL-3.0-or-later
# Linux install rules, included from cmake/Packaging.cmake. Everything goes through GNUInstallDirs
# (relative destinations), so `cmake --install` and the .deb put files in the same places.

option(GATEHOUSE_INSTALL_SYSTEMD_UNIT "Install the systemd unit for the headless server" ON)
set(GATEHOUSE_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "systemd system unit directory, relative to the install prefix")

set(_linux "${_pkg_src}/linux")

# ---- Icons: the SVG as is, PNGs rendered from it at build time with QtSvg ----------------------
add_executable(gatehouse_rendericon "${_pkg_src}/tools/rendericon.cpp")
target_link_libraries(gatehouse_rendericon PRIVATE Qt6::Gui Qt6::Svg)
set_target_properties(gatehouse_rendericon PROPERTIES AUTOMOC OFF AUTORCC OFF AUTOUIC OFF)
target_compile_options(gatehouse_rendericon PRIVATE -Wall -Wextra -Wpedantic)

set(_icon_pngs "")
foreach(_size IN ITEMS 16 32 48 64 128 256)
    set(_png "${_pkg_out}/icons/${_size}x${_size}/gatehouse.png")
    add_custom_command(OUTPUT "${_png}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${_pkg_out}/icons/${_size}x${_size}"
        COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen
                "$<TARGET_FILE:gatehouse_rendericon>" "${GATEHOUSE_ICON_SVG}" ${_size} "${_png}"
        DEPENDS gatehouse_rendericon "${GATEHOUSE_ICON_SVG}"
        COMMENT "Rendering ${_size}x${_size} application icon" VERBATIM)
    list(APPEND _icon_pngs "${_png}")
    install(FILES "${_png}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${_size}x${_size}/apps")
endforeach()
install(FILES "${GATEHOUSE_ICON_SVG}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
        RENAME gatehouse.svg)

# ---- Man page, Debian changelog and copyright ---------------------------------------------------
set(_deb_version "${PROJECT_VERSION}-${GATEHOUSE_DEB_RELEASE}")
set(MAINTAINER "${GATEHOUSE_PACKAGE_MAINTAINER}")
set(HOMEPAGE "${GATEHOUSE_HOMEPAGE}")
set(DEB_VERSION "${_deb_version}")
configure_file("${_linux}/copyright" "${_pkg_out}/copyright" @ONLY)
configure_file("${_linux}/changelog" "${_pkg_out}/changelog.Debian" @ONLY)
unset(MAINTAINER)
unset(HOMEPAGE)
unset(DEB_VERSION)

set(_packaging_outputs ${_icon_pngs})
if(GATEHOUSE_GZIP)
    _gatehouse_gzip("${_linux}/gatehouse.1" "${_pkg_out}/gatehouse.1.gz")
    _gatehouse_gzip("${_pkg_out}/changelog.Debian" "${_pkg_out}/changelog.Debian.gz")
    list(APPEND _packaging_outputs "${_pkg_out}/gatehouse.1.gz" "${_pkg_out}/changelog.Debian.gz")
    install(FILES "${_pkg_out}/gatehouse.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
    install(FILES "${_linux}/gatehouse.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
endif()
add_custom_target(gatehouse_packaging_files ALL DEPENDS ${_packaging_outputs})

install(FILES "${_pkg_out}/copyright" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
# Template for /etc/gatehouse/env: not under /usr/share/doc, which minimal systems drop.
install(FILES "${_linux}/env.example" DESTINATION "${CMAKE_INSTALL_DATADIR}/gatehouse")

# ---- Desktop entry and AppStream metainfo -------------------------------------------------------
install(FILES "${_linux}/gatehouse.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${_linux}/${GATEHOUSE_APP_ID}.metainfo.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")

file(READ "${_linux}/${GATEHOUSE_APP_ID}.metainfo.xml" _metainfo)
if(NOT _metainfo MATCHES "<release version=\"${PROJECT_VERSION}\"")
    message(WARNING "packaging: ${GATEHOUSE_APP_ID}.metainfo.xml has no <release> for ${PROJECT_VERSION}; "
                    "add one (with its date and notes) before releasing")
endif()

# ---- systemd unit: ExecStart follows the install prefix -------------------------------------------
if(GATEHOUSE_INSTALL_SYSTEMD_UNIT)
    file(READ "${_linux}/gatehouse.service" _unit)
    string(REPLACE "ExecStart=/usr/bin/gatehouse" "ExecStart=${CMAKE_INSTALL_FULL_BINDIR}/gatehouse"
           _unit "${_unit}")
    file(CONFIGURE OUTPUT "${_pkg_out}/gatehouse.service" CONTENT "${_unit}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_linux}/gatehouse.service")
    install(FILES "${_pkg_out}/gatehouse.service" DESTINATION "${GATEHOUSE_SYSTEMD_UNITDIR}")
endif()

# Read by CPack before the .deb is built (CPACK_PRE_BUILD_SCRIPTS): the Debian changelog and the
# lintian overrides belong in the .deb only, not in a plain `cmake --install`.
file(CONFIGURE OUTPUT "${_pkg_out}/DebExtras.cmake" CONTENT [=[
if(CPACK_GENERATOR STREQUAL "DEB")
    set(_usr "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")
    set(_doc "${_usr}/@CMAKE_INSTALL_DOCDIR@")
    if(NOT IS_DIRECTORY "${_doc}")
        message(FATAL_ERROR "packaging: no ${_doc} in the staged tree")
    endif()
    if(EXISTS "@_pkg_out@/changelog.Debian.gz")
        file(COPY_FILE "@_pkg_out@/changelog.Debian.gz" "${_doc}/changelog.Debian.gz")
    endif()
    file(MAKE_DIRECTORY "${_usr}/@CMAKE_INSTALL_DATADIR@/lintian/overrides")
    file(COPY_FILE "@_linux@/debian/lintian-overrides"
         "${_usr}/@CMAKE_INSTALL_DATADIR@/lintian/overrides/gatehouse")
endif()
]=] @ONLY)
