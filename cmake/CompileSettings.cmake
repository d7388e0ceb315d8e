# SPDX-License-Identifier: GPL-3.0-or-later
# One INTERFACE target carries the compile settings every Gatehouse target shares.
option(GATEHOUSE_WERROR "Treat warnings as errors" OFF)
option(GATEHOUSE_ASAN "Build with AddressSanitizer" OFF)
option(GATEHOUSE_UBSAN "Build with UndefinedBehaviorSanitizer" OFF)

add_library(gatehouse_settings INTERFACE)
target_compile_features(gatehouse_settings INTERFACE cxx_std_20)
target_compile_definitions(gatehouse_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_STRICT_ITERATORS
    QT_NO_FOREACH
    # Nothing Qt deprecated up to the oldest Qt we build with (Debian 12's 6.4) compiles,
    # so a newer Qt's deprecations cannot break the -Werror build. Qt before 6.5 reads the
    # older spelling of the same switch.
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    GATEHOUSE_VERSION="${PROJECT_VERSION}")
target_compile_options(gatehouse_settings INTERFACE -Wall -Wextra -Wpedantic)
if(GATEHOUSE_WERROR)
    target_compile_options(gatehouse_settings INTERFACE -Werror)
endif()
if(GATEHOUSE_ASAN)
    target_compile_options(gatehouse_settings INTERFACE -fsanitize=address -fno-omit-frame-pointer)
    target_link_options(gatehouse_settings INTERFACE -fsanitize=address)
endif()
if(GATEHOUSE_UBSAN)
    # GCC's "undefined" leaves out float-cast-overflow (a double too big for its integer),
    # which clients can cause with a JSON number; clang's includes it.
    target_compile_options(gatehouse_settings INTERFACE -fsanitize=undefined,float-cast-overflow
        -fno-sanitize-recover=undefined,float-cast-overflow)
    target_link_options(gatehouse_settings INTERFACE -fsanitize=undefined,float-cast-overflow)
endif()

# libFuzzer builds (tests/fuzz): a separate build folder configured with clang. Every
# library gets coverage instrumentation without libFuzzer's main; the fuzz targets
# themselves link -fsanitize=fuzzer.
option(GATEHOUSE_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)
if(GATEHOUSE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "GATEHOUSE_FUZZ needs clang: configure with CXX=clang++")
    endif()
    target_compile_options(gatehouse_settings INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    target_link_options(gatehouse_settings INTERFACE -fsanitize=address,undefined)
endif()
