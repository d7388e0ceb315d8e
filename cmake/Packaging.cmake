# SPDX-License-Identifier: GPL-3.0-or-later
# Install rules beyond the binary (icons, desktop entry, AppStream metainfo, systemd unit, man
# page, docs) and CPack settings: a .deb on Linux; NSIS/WiX and a DMG are sketched for Windows and
# macOS (untested, see packaging/README.md). Included once, at the end of the top-level CMakeLists.

set(GATEHOUSE_APP_ID "io.github.gatehouse.Gatehouse")
set(GATEHOUSE_HOMEPAGE "https://github.com/gatehouse/gatehouse"
    CACHE STRING "Project home page, written into the package metadata")
set(GATEHOUSE_PACKAGE_MAINTAINER "Gatehouse maintainers <maintainers@gatehouse.example>"
    CACHE STRING "Package maintainer, 'Name <email>'")
set(GATEHOUSE_DEB_RELEASE "1" CACHE STRING "Debian revision of the .deb (0.1.0-<this>)")

set(_pkg_src "${PROJECT_SOURCE_DIR}/packaging")
set(_pkg_out "${PROJECT_BINARY_DIR}/packaging")

# One icon for everything: the console's (compiled into the binary as :/icons/gatehouse.svg).
set(GATEHOUSE_ICON_SVG "${PROJECT_SOURCE_DIR}/resources/icons/gatehouse.svg")
if(NOT EXISTS "${GATEHOUSE_ICON_SVG}")
    message(FATAL_ERROR "packaging: the application icon ${GATEHOUSE_ICON_SVG} is missing")
endif()

find_program(GATEHOUSE_GZIP gzip)
# gzip -9n: no name or timestamp in the header, so the output is reproducible.
function(_gatehouse_gzip input output)
    add_custom_command(OUTPUT "${output}"
        COMMAND "${GATEHOUSE_GZIP}" -9n -c "${input}" > "${output}"
        DEPENDS "${input}" VERBATIM)
endfunction()

if(UNIX AND NOT APPLE)
    include("${_pkg_src}/linux/install.cmake")
elseif(WIN32 OR APPLE)
    # Untested here (see packaging/README.md). Bundles Qt next to the binary at install time
    # (windeployqt / macdeployqt); Qt 6.4 deploys a macOS app only as a MACOSX_BUNDLE.
    set(_gatehouse_app gatehouse-server)
    if(TARGET gatehouse)
        set(_gatehouse_app gatehouse)
    endif()
    get_target_property(_gatehouse_bundle ${_gatehouse_app} MACOSX_BUNDLE)
    if(WIN32 OR _gatehouse_bundle)
        qt_generate_deploy_app_script(TARGET ${_gatehouse_app}
                                      FILENAME_VARIABLE _gatehouse_deploy_script
                                      NO_UNSUPPORTED_PLATFORM_ERROR)
        install(SCRIPT "${_gatehouse_deploy_script}")
    else()
        message(STATUS "packaging: macOS deployment needs gatehouse built as a MACOSX_BUNDLE "
                       "(see packaging/README.md)")
    endif()
    install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
endif()

# ---- CPack ------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "gatehouse")
set(CPACK_PACKAGE_VENDOR "The Gatehouse contributors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${GATEHOUSE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${GATEHOUSE_HOMEPAGE}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted auth server with a Qt admin console")
# Long description for the .deb: lines under 80 columns, blank line = paragraph.
set(CPACK_PACKAGE_DESCRIPTION
    "Gatehouse runs an HTTP authentication server and a Qt Widgets admin console
in one program. It speaks five documented auth APIs over one shared identity
store: namespace access tokens and Telegram Mini App logins; wallet logins
with Solana and Ethereum signatures, OAuth and email or SMS codes; PIN
logins for point-of-sale staff; device registration with login approval by
email; and accounts with passwords, one-time codes and API tokens.

The console manages users, namespaces, bindings, sessions and every issued
token, and shows server status, the outbox and an audit log. The same binary
runs headless on servers (a hardened systemd unit is included, not enabled
by default), with SQLite as the embedded default or PostgreSQL to share one
database between several instances.")
# The headless package's description: lines under 80 columns, blank line = paragraph.
set(GATEHOUSE_SERVER_DESCRIPTION
    "self-hosted auth server, headless
Gatehouse is an HTTP authentication server that speaks five documented auth
APIs over one shared identity store: namespace access tokens and Telegram
Mini App logins; wallet logins with Solana and Ethereum signatures, OAuth and
email or SMS codes; PIN logins for point-of-sale staff; device registration
with login approval by email; and accounts with passwords, one-time codes and
API tokens.

This package holds gatehouse-server, the server and its command line without
any graphical library, a hardened systemd unit (not enabled by default) and
/etc/gatehouse/env for its settings and secrets. The admin console is in the
package gatehouse.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Gatehouse")
set(CPACK_PACKAGE_EXECUTABLES "gatehouse" "Gatehouse")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_VERBATIM_VARIABLES TRUE)

set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build[^/]*/" "/node_modules/" "__pycache__")

if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR "DEB")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")

    # Two .debs, one per install component: gatehouse-server (headless) and gatehouse (the
    # desktop app), which depends on gatehouse-server of the same version. No file is in both.
    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_COMPONENTS_GROUPING IGNORE)
    set(CPACK_COMPONENTS_ALL server)
    if(GATEHOUSE_GUI)
        list(APPEND CPACK_COMPONENTS_ALL desktop)
    endif()
    set(_deb_full_version "${PROJECT_VERSION}-${GATEHOUSE_DEB_RELEASE}")
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_RELEASE "${GATEHOUSE_DEB_RELEASE}")
    set(CPACK_DEBIAN_PACKAGE_SECTION "net")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GATEHOUSE_PACKAGE_MAINTAINER}")
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${GATEHOUSE_HOMEPAGE}")
    set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
    # Libraries come from dpkg-shlibdeps (package dpkg-dev). It cannot see what Qt loads as
    # plugins (SQL drivers; the SVG icon engine in libqt6svg6), what Gatehouse dlopen()s itself
    # (libcurl4, on first mail, SMS or provider call; 7.85 for CURLOPT_PROTOCOLS_STR) or what
    # the maintainer scripts run (adduser), so those are listed.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

    set(CPACK_DEBIAN_SERVER_PACKAGE_NAME "gatehouse-server")
    # Each description's first line is its package's summary (see CPackProjectConfig.cmake.in).
    set(CPACK_DEBIAN_SERVER_DESCRIPTION "${GATEHOUSE_SERVER_DESCRIPTION}")
    string(CONCAT CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, libcurl4 (>= 7.85), "
        "libqt6sql6-sqlite (>= ${Qt6_VERSION}), libqt6sql6-psql (>= ${Qt6_VERSION})")
    set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "postgresql")
    # The maintainer scripts set up the system user and data folder; /etc/gatehouse/env is
    # a conffile.
    set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
        "${_pkg_src}/linux/debian/conffiles"
        "${_pkg_src}/linux/debian/postinst"
        "${_pkg_src}/linux/debian/prerm"
        "${_pkg_src}/linux/debian/postrm")

    set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME "gatehouse")
    set(CPACK_DEBIAN_DESKTOP_DESCRIPTION
        "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}\n${CPACK_PACKAGE_DESCRIPTION}")
    string(CONCAT CPACK_DEBIAN_DESKTOP_PACKAGE_DEPENDS
        "gatehouse-server (= ${_deb_full_version}), libqt6svg6 (>= ${Qt6_VERSION})")
    set(CPACK_DEBIAN_DESKTOP_PACKAGE_RECOMMENDS "qt6-wayland")
    # Adds changelog.Debian.gz and the lintian overrides to the staged trees (deb only).
    set(CPACK_PRE_BUILD_SCRIPTS "${_pkg_out}/DebExtras.cmake")
elseif(WIN32)
    # Untested here (see packaging/README.md).
    set(CPACK_GENERATOR "NSIS;ZIP")
    set(CPACK_NSIS_DISPLAY_NAME "Gatehouse")
    set(CPACK_NSIS_PACKAGE_NAME "Gatehouse")
    set(CPACK_NSIS_URL_INFO_ABOUT "${GATEHOUSE_HOMEPAGE}")
    set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\gatehouse.exe")
    set(CPACK_NSIS_MODIFY_PATH ON)
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_WIX_UPGRADE_GUID "6C1C2D43-3F0B-4D7B-9E59-0D1B8A3E5A10")
    set(CPACK_WIX_PROGRAM_MENU_FOLDER "Gatehouse")
elseif(APPLE)
    # Untested here (see packaging/README.md).
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_DMG_VOLUME_NAME "Gatehouse")
endif()

# CPack reads this at packaging time: refuse a .deb whose unit would point outside /usr/bin.
configure_file("${_pkg_src}/cpack/CPackProjectConfig.cmake.in"
               "${_pkg_out}/CPackProjectConfig.cmake" @ONLY)
set(CPACK_PROJECT_CONFIG_FILE "${_pkg_out}/CPackProjectConfig.cmake")

include(CPack)
