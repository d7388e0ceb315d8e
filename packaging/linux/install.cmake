# SPDX-License-Identifier: GPL-3.0-or-later
# Linux install rules, included from cmake/Packaging.cmake. Everything goes through GNUInstallDirs
# (relative destinations), so `cmake --install` and the .deb put files in the same places.

option(GATEHOUSE_INSTALL_SYSTEMD_UNIT "Install the systemd unit for the headless server" ON)
set(GATEHOUSE_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "systemd system unit directory, relative to the install prefix")

set(_linux "${_pkg_src}/linux")

# Two packages (CPack components): `server` is gatehouse-server (the headless binary, the unit,
# its man page, /etc/gatehouse/env); `desktop` is gatehouse (the console binary, its desktop
# entry, icons, metainfo and man page), which depends on gatehouse-server. No file is in both.
set(_deb_version "${PROJECT_VERSION}-${GATEHOUSE_DEB_RELEASE}")

# ---- Icons: the SVG as is, PNGs rendered from it at build time with QtSvg ----------------------
set(_icon_pngs "")
if(GATEHOUSE_GUI) # the icons are the desktop package's; rendering them needs Qt Gui and Svg
    add_executable(gatehouse_rendericon "${_pkg_src}/tools/rendericon.cpp")
    target_link_libraries(gatehouse_rendericon PRIVATE Qt6::Gui Qt6::Svg)
    set_target_properties(gatehouse_rendericon PROPERTIES AUTOMOC OFF AUTORCC OFF AUTOUIC OFF)
    target_compile_options(gatehouse_rendericon PRIVATE -Wall -Wextra -Wpedantic)

    foreach(_size IN ITEMS 16 32 48 64 128 256)
        set(_png "${_pkg_out}/icons/${_size}x${_size}/gatehouse.png")
        add_custom_command(OUTPUT "${_png}"
            COMMAND "${CMAKE_COMMAND}" -E make_directory "${_pkg_out}/icons/${_size}x${_size}"
            COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen
                    "$<TARGET_FILE:gatehouse_rendericon>" "${GATEHOUSE_ICON_SVG}" ${_size} "${_png}"
            DEPENDS gatehouse_rendericon "${GATEHOUSE_ICON_SVG}"
            COMMENT "Rendering ${_size}x${_size} application icon" VERBATIM)
        list(APPEND _icon_pngs "${_png}")
        install(FILES "${_png}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${_size}x${_size}/apps"
                COMPONENT desktop)
    endforeach()
    install(FILES "${GATEHOUSE_ICON_SVG}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
            RENAME gatehouse.svg COMPONENT desktop)
endif()

# ---- Man pages, Debian changelog and copyright --------------------------------------------------
set(MAINTAINER "${GATEHOUSE_PACKAGE_MAINTAINER}")
set(HOMEPAGE "${GATEHOUSE_HOMEPAGE}")
set(DEB_VERSION "${_deb_version}")
configure_file("${_linux}/copyright" "${_pkg_out}/copyright" @ONLY)
configure_file("${_linux}/changelog" "${_pkg_out}/changelog.Debian" @ONLY)
unset(MAINTAINER)
unset(HOMEPAGE)
unset(DEB_VERSION)

set(_packaging_outputs ${_icon_pngs})
set(_man_pages gatehouse-server)
if(GATEHOUSE_GUI)
    list(APPEND _man_pages gatehouse)
endif()
if(GATEHOUSE_GZIP)
    _gatehouse_gzip("${_pkg_out}/changelog.Debian" "${_pkg_out}/changelog.Debian.gz")
    list(APPEND _packaging_outputs "${_pkg_out}/changelog.Debian.gz")
endif()
foreach(_page IN LISTS _man_pages)
    set(_component desktop)
    if(_page STREQUAL "gatehouse-server")
        set(_component server)
    endif()
    if(GATEHOUSE_GZIP)
        _gatehouse_gzip("${_linux}/${_page}.1" "${_pkg_out}/${_page}.1.gz")
        list(APPEND _packaging_outputs "${_pkg_out}/${_page}.1.gz")
        install(FILES "${_pkg_out}/${_page}.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1"
                COMPONENT ${_component})
    else()
        install(FILES "${_linux}/${_page}.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1"
                COMPONENT ${_component})
    endif()
endforeach()
add_custom_target(gatehouse_packaging_files ALL DEPENDS ${_packaging_outputs})

# Each package has its own /usr/share/doc/PACKAGE.
install(FILES "${_pkg_out}/copyright" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/gatehouse-server"
        COMPONENT server)
# /etc/gatehouse/env: a conffile of gatehouse-server (settings and secrets, so root only, 0600):
# kept as the admin edited it on upgrade, removed on purge.
install(FILES "${_linux}/env.example" DESTINATION "${CMAKE_INSTALL_FULL_SYSCONFDIR}/gatehouse"
        RENAME env PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT server)

# ---- Desktop entry and AppStream metainfo -------------------------------------------------------
if(GATEHOUSE_GUI)
    install(FILES "${_pkg_out}/copyright" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/gatehouse"
            COMPONENT desktop)
    install(FILES "${_linux}/gatehouse.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications"
            COMPONENT desktop)
    install(FILES "${_linux}/${GATEHOUSE_APP_ID}.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo" COMPONENT desktop)
    file(READ "${_linux}/${GATEHOUSE_APP_ID}.metainfo.xml" _metainfo)
    if(NOT _metainfo MATCHES "<release version=\"${PROJECT_VERSION}\"")
        message(WARNING "packaging: ${GATEHOUSE_APP_ID}.metainfo.xml has no <release> for ${PROJECT_VERSION}; "
                        "add one (with its date and notes) before releasing")
    endif()
endif()

# ---- systemd unit: ExecStart follows the install prefix -------------------------------------------
if(GATEHOUSE_INSTALL_SYSTEMD_UNIT)
    file(READ "${_linux}/gatehouse.service" _unit)
    string(REPLACE "ExecStart=/usr/bin/gatehouse-server"
           "ExecStart=${CMAKE_INSTALL_FULL_BINDIR}/gatehouse-server" _unit "${_unit}")
    file(CONFIGURE OUTPUT "${_pkg_out}/gatehouse.service" CONTENT "${_unit}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_linux}/gatehouse.service")
    install(FILES "${_pkg_out}/gatehouse.service" DESTINATION "${GATEHOUSE_SYSTEMD_UNITDIR}"
            COMPONENT server)
endif()

# Read by CPack before the .debs are built (CPACK_PRE_BUILD_SCRIPTS): the Debian changelog and the
# lintian overrides belong in the .debs only, not in a plain `cmake --install`. Each component is
# staged in its own folder; each package gets its own copy under its own name.
file(CONFIGURE OUTPUT "${_pkg_out}/DebExtras.cmake" CONTENT [=[
if(CPACK_GENERATOR STREQUAL "DEB")
    foreach(_pair IN ITEMS "server:gatehouse-server" "desktop:gatehouse")
        string(REPLACE ":" ";" _pair "${_pair}")
        list(GET _pair 0 _component)
        list(GET _pair 1 _package)
        set(_usr "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/${_component}${CPACK_PACKAGING_INSTALL_PREFIX}")
        if(NOT IS_DIRECTORY "${_usr}")
            continue() # a headless build has no desktop component
        endif()
        set(_doc "${_usr}/@CMAKE_INSTALL_DATAROOTDIR@/doc/${_package}")
        if(NOT IS_DIRECTORY "${_doc}")
            message(FATAL_ERROR "packaging: no ${_doc} in the staged tree")
        endif()
        if(EXISTS "@_pkg_out@/changelog.Debian.gz")
            file(COPY_FILE "@_pkg_out@/changelog.Debian.gz" "${_doc}/changelog.Debian.gz")
        endif()
        file(MAKE_DIRECTORY "${_usr}/@CMAKE_INSTALL_DATADIR@/lintian/overrides")
        file(READ "@_linux@/debian/lintian-overrides" _overrides)
        string(REPLACE "{{package}}" "${_package}" _overrides "${_overrides}")
        file(WRITE "${_usr}/@CMAKE_INSTALL_DATADIR@/lintian/overrides/${_package}" "${_overrides}")
    endforeach()
endif()
]=] @ONLY)
