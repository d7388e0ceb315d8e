#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian packages end to end: builds gatehouse-server (headless) and gatehouse (desktop) with
# CMake + CPack, unpacks them into scratch roots with dpkg-deb -x (nothing is installed
# system-wide), runs the unpacked binaries, and checks the control fields, the file lists, the
# desktop entry, the AppStream metainfo and the systemd unit. The headless binary also serves
# from its own scratch root with every GUI library (Qt Gui/Widgets, X11, GL, xcb) unloadable.
#
#   tests/e2e/package_test.sh [BUILD_DIR]
#
# BUILD_DIR (or $GATEHOUSE_BUILD) is reused and reconfigured with -DCMAKE_INSTALL_PREFIX=/usr;
# without one, the script configures its own build-package/ with Debian's dpkg-buildflags.
# Needs: dpkg-dev, desktop-file-utils, appstream, curl, python3. Uses when present: lintian,
# the shellcheck program, systemd-analyze (package systemd), and unshare as root (the GUI
# libraries masked in a private mount namespace).
. "$(dirname "$0")/lib.sh"

ROOT=$E2E_ROOT
BUILD=${1:-${GATEHOUSE_BUILD:-}}
OWN_BUILD=0
if [ -z "$BUILD" ]; then
  BUILD=$ROOT/build-package
  OWN_BUILD=1
fi
WORK=$(mktemp -d /tmp/gatehouse-package.XXXXXX)
CLEANUP+=("rm -rf $WORK")
PKGROOT=$WORK/root        # both packages, as installed together
SRVROOT=$WORK/server-root # gatehouse-server alone

skip() { echo "  skip $1 ($2)"; }

# ---- Build --------------------------------------------------------------------------------------
build_deb() {
  local args=(-DCMAKE_INSTALL_PREFIX=/usr)
  if [ "$OWN_BUILD" = 1 ]; then
    args+=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGATEHOUSE_TESTS=OFF)
    if [ ! -f "$BUILD/CMakeCache.txt" ] && command -v dpkg-buildflags >/dev/null; then
      # The hardening flags a Debian build uses (CMake reads these on the first configure).
      CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
      LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
      export CXXFLAGS LDFLAGS
    fi
  fi
  cmake -S "$ROOT" -B "$BUILD" "${args[@]}" &&
    cmake --build "$BUILD" &&
    rm -f "$BUILD"/gatehouse_*.deb "$BUILD"/gatehouse-server_*.deb &&
    (cd "$BUILD" && cpack -G DEB)
}

echo "package: building the .debs in $BUILD"
if build_deb >"$WORK/build.log" 2>&1; then
  PASSED=$((PASSED + 1)); echo "  ok   cmake + cpack -G DEB"
else
  FAILED=$((FAILED + 1)); echo "  FAIL cmake + cpack -G DEB"; tail -40 "$WORK/build.log" | sed 's/^/       /'
  finish package; exit 1
fi
DEB=$(ls "$BUILD"/gatehouse_*.deb 2>/dev/null | head -1)
SDEB=$(ls "$BUILD"/gatehouse-server_*.deb 2>/dev/null | head -1)
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
echo "package: $(basename "${SDEB:-none}") and $(basename "${DEB:-none}") (project version $VERSION)"
if [ -z "$DEB" ] || [ -z "$SDEB" ]; then
  FAILED=$((FAILED + 1)); echo "  FAIL cpack made gatehouse-server_*.deb and gatehouse_*.deb"; ls "$BUILD"/*.deb
  finish package; exit 1
fi
dpkg-deb -x "$SDEB" "$SRVROOT"
dpkg-deb -x "$SDEB" "$PKGROOT"
dpkg-deb -x "$DEB" "$PKGROOT"
for pkg in server desktop; do
  deb=$DEB; [ "$pkg" = server ] && deb=$SDEB
  dpkg-deb -c "$deb" >"$WORK/contents-$pkg"
  # Paths without the leading "." and with directories marked by a trailing slash.
  awk '{ print substr($6, 2) }' "$WORK/contents-$pkg" >"$WORK/paths-$pkg"
done
cat "$WORK/paths-server" "$WORK/paths-desktop" >"$WORK/paths"

headless_configure() { # -DGATEHOUSE_GUI=OFF: no Widgets/Charts/Svg looked up, no desktop targets
  local dir=$WORK/configure-nogui targets
  cmake -S "$ROOT" -B "$dir" -G Ninja -DGATEHOUSE_GUI=OFF -DCMAKE_INSTALL_PREFIX=/usr >"$dir.log" 2>&1 ||
    { tail -20 "$dir.log"; return 1; }
  ! grep -E '^Qt6(Widgets|Charts|Svg|Gui)_DIR:' "$dir/CMakeCache.txt" || { echo "looked up a GUI module"; return 1; }
  targets=$(ninja -C "$dir" -t targets all | cut -d: -f1)
  echo "$targets" | grep -qx 'app/gatehouse-server' || { echo "no gatehouse-server target"; return 1; }
  ! echo "$targets" | grep -Eqx '(app/)?gatehouse|gatehouse_ui|ui_[a-z_]+|gatehouse_rendericon' ||
    { echo "desktop targets in a headless tree"; return 1; }
  grep -q 'set(CPACK_COMPONENTS_ALL "server")' "$dir/CPackConfig.cmake" || { echo "CPack would make more than gatehouse-server"; return 1; }
}
check "cmake -DGATEHOUSE_GUI=OFF: no Qt Gui/Widgets/Charts/Svg looked up, only gatehouse-server packaged" \
  headless_configure

# ---- Control fields -----------------------------------------------------------------------------
control_fields() { # DEB PACKAGE
  local deb=$1
  expect_eq "$(dpkg-deb -f "$deb" Package)" "$2" &&
    expect_match "$(dpkg-deb -f "$deb" Version)" "^${VERSION//./\\.}-[0-9]+$" &&
    expect_eq "$(dpkg-deb -f "$deb" Architecture)" "$(dpkg --print-architecture)" &&
    expect_eq "$(dpkg-deb -f "$deb" Section)" net &&
    expect_eq "$(dpkg-deb -f "$deb" Priority)" optional &&
    expect_match "$(dpkg-deb -f "$deb" Maintainer)" '^[^<>]+ <[^@ ]+@[^> ]+>$' &&
    expect_match "$(dpkg-deb -f "$deb" Homepage)" '^https://'
}
check "control gatehouse-server: Package, Version, Architecture, Section, Priority, Maintainer, Homepage" \
  control_fields "$SDEB" gatehouse-server
check "control gatehouse: Package, Version, Architecture, Section, Priority, Maintainer, Homepage" \
  control_fields "$DEB" gatehouse

depends_has() { # DEB PACKAGE… : every PACKAGE is in Depends
  local depends missing=() pkg
  depends=$(dpkg-deb -f "$1" Depends); shift
  echo "Depends: $depends"
  for pkg in "$@"; do
    echo "$depends" | tr ',' '\n' | awk -v p="$pkg" '$1 == p { found = 1 } END { exit !found }' ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "missing from Depends: ${missing[*]}"; return 1; }
}
check "control gatehouse-server: Depends lists its libraries (shlibdeps), Qt SQL plugins, adduser" \
  depends_has "$SDEB" libc6 libstdc++6 libqt6core6 libqt6network6 libqt6sql6 \
  libqt6keychain1 libssl3 libsodium23 libcurl4 libqt6sql6-sqlite libqt6sql6-psql adduser

server_depends_no_gui() {
  local gui
  gui=$(dpkg-deb -f "$SDEB" Depends | tr ',' '\n' | awk '{ print $1 }' |
    grep -E '^(libqt6gui6|libqt6widgets6|libqt6charts6|libqt6svg6|libqt6opengl6|libx11-6|libgl1|libxcb|libegl1|qt6-wayland)' || true)
  [ -z "$gui" ] || { echo "gatehouse-server depends on GUI packages: $gui"; return 1; }
}
check "control gatehouse-server: no GUI package in Depends (Qt Gui/Widgets/Charts/Svg, X11, GL)" \
  server_depends_no_gui

desktop_depends() {
  depends_has "$DEB" libqt6widgets6 libqt6svg6 gatehouse-server &&
    expect_match "$(dpkg-deb -f "$DEB" Depends)" "gatehouse-server \(= $(dpkg-deb -f "$SDEB" Version | sed 's/\./\\./g')\)"
}
check "control gatehouse: Depends on gatehouse-server (= same version), Widgets, libqt6svg6" desktop_depends

control_description() { # DEB
  local desc long
  desc=$(dpkg-deb -f "$1" Description)
  long=$(echo "$desc" | tail -n +2)
  expect_match "$(echo "$desc" | head -1)" '^[a-z].{10,75}[^.]$' &&
    [ "$(echo "$long" | wc -l)" -ge 5 ] &&
    ! echo "$long" | awk 'length > 80 { print "too long: " $0; bad = 1 } END { exit !bad }'
}
check "control gatehouse-server: short and long description (lines of at most 80 columns)" \
  control_description "$SDEB"
check "control gatehouse: short and long description (lines of at most 80 columns)" \
  control_description "$DEB"

maintainer_scripts() {
  local dir=$WORK/control
  dpkg-deb -e "$SDEB" "$dir"
  for s in postinst prerm postrm; do
    [ -x "$dir/$s" ] || { echo "$s missing or not executable"; return 1; }
    sh -n "$dir/$s" || return 1
  done
  grep -q 'adduser --system' "$dir/postinst" && grep -q 'getent passwd' "$dir/postinst" &&
    grep -q -- '-m 0700' "$dir/postinst" && grep -q '/var/lib/gatehouse' "$dir/postinst" || {
    echo "postinst does not create the gatehouse user and /var/lib/gatehouse (0700) as expected"
    return 1
  }
  expect_eq "$(cat "$dir/conffiles")" /etc/gatehouse/env || return 1
  if command -v shellcheck >/dev/null; then shellcheck -s sh "$dir/postinst" "$dir/prerm" "$dir/postrm"; fi
}
check "control gatehouse-server: postinst/prerm/postrm (shellcheck), conffiles = /etc/gatehouse/env" \
  maintainer_scripts

# ---- Files ----------------------------------------------------------------------------------------
standard_paths() {
  local bad
  bad=$(grep -v '/$' "$WORK/paths" | grep -Ev '^/usr/bin/gatehouse(-server)?$|^/usr/lib/systemd/system/[^/]+\.service$|^/usr/share/(applications|metainfo|icons/hicolor|man/man1|doc/gatehouse|doc/gatehouse-server|lintian/overrides)/|^/etc/gatehouse/env$' || true)
  [ -z "$bad" ] || { echo "files outside the standard paths:"; echo "$bad"; return 1; }
  ! grep -Eq '^/(var|opt|home|srv|usr/local)/' "$WORK/paths" || { echo "ships /var, /opt or /usr/local"; return 1; }
}
check "files: everything under /usr/bin, /usr/share/…, /usr/lib/systemd/system, /etc/gatehouse/env" standard_paths

expected_files() { # PACKAGE FILE…
  local pkg=$1 missing=() f; shift
  for f in "$@"; do grep -qxF "$f" "$WORK/paths-$pkg" || missing+=("$f"); done
  [ ${#missing[@]} -eq 0 ] || { echo "missing from $pkg: ${missing[*]}"; return 1; }
}
check "files gatehouse-server: binary, unit, man page, /etc/gatehouse/env, copyright, changelog" \
  expected_files server /usr/bin/gatehouse-server /usr/lib/systemd/system/gatehouse.service \
  /usr/share/man/man1/gatehouse-server.1.gz /etc/gatehouse/env \
  /usr/share/doc/gatehouse-server/copyright /usr/share/doc/gatehouse-server/changelog.Debian.gz
check "files gatehouse: binary, desktop entry, metainfo, icons, man page, copyright, changelog" \
  expected_files desktop /usr/bin/gatehouse /usr/share/applications/gatehouse.desktop \
  /usr/share/metainfo/io.github.gatehouse.Gatehouse.metainfo.xml \
  /usr/share/icons/hicolor/scalable/apps/gatehouse.svg \
  /usr/share/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256}/apps/gatehouse.png \
  /usr/share/man/man1/gatehouse.1.gz \
  /usr/share/doc/gatehouse/copyright /usr/share/doc/gatehouse/changelog.Debian.gz

no_shared_file() {
  local both
  both=$(sort "$WORK/paths-server" <(sort -u "$WORK/paths-desktop") | grep -v '/$' | uniq -d)
  [ -z "$both" ] || { echo "in both packages:"; echo "$both"; return 1; }
  ! grep -qx /usr/bin/gatehouse-server "$WORK/paths-desktop" && ! grep -qx /usr/bin/gatehouse "$WORK/paths-server"
}
check "files: no file is in both packages" no_shared_file

file_modes() {
  local bad
  # Directories 0755, binaries 0755, /etc/gatehouse/env 0600, every other file 0644; root:root.
  bad=$(awk '{ mode = $1; owner = $2; path = substr($6, 2)
    want = (path ~ /\/$/ || path ~ /^\/usr\/bin\//) ? "rwxr-xr-x" : "rw-r--r--"
    if (path == "/etc/gatehouse/env") want = "rw-------"
    if (substr(mode, 2) != want || owner != "root/root") print mode, owner, path }' "$WORK/contents")
  [ -z "$bad" ] || { echo "$bad"; return 1; }
}
check "files: modes 0755/0644 (/etc/gatehouse/env 0600), owned by root" file_modes

png_sizes() {
  local size dims
  for size in 16 32 48 64 128 256; do
    dims=$(python3 - "$PKGROOT/usr/share/icons/hicolor/${size}x${size}/apps/gatehouse.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(24)
assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
print("%dx%d" % struct.unpack(">II", data[16:24]))
PY
    ) || return 1
    expect_eq "$dims" "${size}x${size}" || return 1
  done
}
check "files: hicolor PNG icons 16…256 are PNGs of their size" png_sizes

docs() {
  local pkg page
  for pkg in gatehouse gatehouse-server; do
    grep -q 'GPL-3' "$PKGROOT/usr/share/doc/$pkg/copyright" &&
      grep -q '^Copyright: ' "$PKGROOT/usr/share/doc/$pkg/copyright" &&
      expect_match "$(zcat "$PKGROOT/usr/share/doc/$pkg/changelog.Debian.gz" | head -1)" \
        "^gatehouse \($(dpkg-deb -f "$DEB" Version | sed 's/\./\\./g')\) " || return 1
  done
  for page in gatehouse gatehouse-server; do
    zcat "$PKGROOT/usr/share/man/man1/$page.1.gz" | grep -q "^\.TH ${page^^} 1" || { echo "man page $page"; return 1; }
  done
}
check "files: copyright (GPL-3.0-or-later) and changelog in both, man pages gatehouse(1), gatehouse-server(1)" docs

env_conffile() {
  local env=$SRVROOT/etc/gatehouse/env
  grep -q '^#GATEHOUSE_LISTEN=' "$env" && ! grep -Eq '^[A-Z_]+=' "$env" || {
    echo "/etc/gatehouse/env should be the commented template, setting nothing"; return 1; }
}
check "files: /etc/gatehouse/env is the commented template (sets nothing by default)" env_conffile

# ---- The unpacked binaries ------------------------------------------------------------------------
BIN=$PKGROOT/usr/bin/gatehouse
SBIN=$SRVROOT/usr/bin/gatehouse-server
# A clean environment: no display (so no console), a scratch HOME, secrets in a 0600 file, no
# PCRE2 JIT (as in the unit). An array, not a function: `function &` would fork a subshell and $!
# would not be the server's pid.
CLEAN_ENV=(env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 GATEHOUSE_SECRET_STORE=file
  QT_ENABLE_REGEXP_JIT=0)
mkdir -p "$WORK/home"

check "gatehouse: --version prints 'gatehouse $VERSION'" \
  bash -c "out=\$(env -i HOME='$WORK/home' '$BIN' --version) && echo \"\$out\" && [ \"\$out\" = 'gatehouse $VERSION' ]"
check "gatehouse: --help prints the usage" bash -c "env -i HOME='$WORK/home' '$BIN' --help | grep -q '^Usage: gatehouse'"
check "gatehouse-server: --version prints 'gatehouse-server $VERSION'" \
  bash -c "out=\$(env -i HOME='$WORK/home' '$SBIN' --version) && echo \"\$out\" && [ \"\$out\" = 'gatehouse-server $VERSION' ]"

GUI_LIBS='libQt6(Gui|Widgets|Charts|Svg|OpenGL)|libX11|libGL|libEGL|libOpenGL|libxcb|libxkbcommon|libwayland'
server_ldd() {
  local out gui
  out=$(ldd "$SBIN") || return 1
  echo "$(echo "$out" | wc -l) shared libraries"
  gui=$(echo "$out" | grep -E "$GUI_LIBS" || true)
  [ -z "$gui" ] || { echo "the headless binary loads GUI libraries:"; echo "$gui"; return 1; }
  # The check itself can fail: the desktop binary does load them.
  ldd "$BIN" | grep -q libQt6Gui || { echo "ldd of the desktop binary shows no libQt6Gui either"; return 1; }
}
check "gatehouse-server: ldd lists no libQt6Gui/Widgets/Charts/Svg, libX11, libGL, libxcb" server_ldd

serve_healthz() { # LABEL BINARY [wrapper…]: serve from an unpacked tree, GET /healthz, stop with SIGTERM
  local label=$1 bin=$2; shift 2
  local port data pid body code
  port=$(free_port)
  data=$WORK/data-$label
  "${CLEAN_ENV[@]}" "$@" "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" \
    >"$WORK/serve-$label.log" 2>&1 &
  pid=$!
  CLEANUP+=("kill $pid")
  if ! wait_http "http://127.0.0.1:$port/healthz" 20; then
    cat "$WORK/serve-$label.log"; kill "$pid" 2>/dev/null; return 1
  fi
  body=$(curl -fsS "http://127.0.0.1:$port/healthz")
  echo "GET /healthz -> $body"
  kill -TERM "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "still running 10 s after SIGTERM"; kill -9 "$pid"; return 1; fi
  wait "$pid"; code=$?
  expect_match "$body" '"status" *: *"ok"' &&
    { [ "$code" -eq 0 ] || { echo "exit status $code after SIGTERM"; cat "$WORK/serve-$label.log"; return 1; }; } &&
    { [ "$(stat -c %a "$data")" = 700 ] || { echo "data dir mode $(stat -c %a "$data"), expected 700"; return 1; }; }
}
check "gatehouse: serve --data-dir TMP --listen 127.0.0.1:PORT answers /healthz, stops on SIGTERM" \
  serve_healthz desktop "$BIN"
check "gatehouse-server: serve from its own scratch root answers /healthz, stops on SIGTERM" \
  serve_healthz plain "$SBIN"

# No GUI library present: in a private mount namespace, /dev/null is bound over every GUI library
# file (Qt Gui/Widgets/Charts/Svg/OpenGL, X11, GL, EGL, xcb, xkbcommon, wayland), so loading one
# fails. The desktop binary must then fail to start (the masking works) and the headless one serve.
cat >"$WORK/nogui.sh" <<EOF2
#!/bin/sh
libs=\$(find /usr/lib -maxdepth 2 -type f -name '*.so*' | grep -E '/($GUI_LIBS)[^/]*\$')
[ -n "\$libs" ] || { echo "no GUI library found to mask" >&2; exit 1; }
for lib in \$libs; do mount --bind /dev/null "\$lib" || exit 1; done
exec "\$@"
EOF2
chmod +x "$WORK/nogui.sh"
NOGUI=(unshare -m --propagation private "$WORK/nogui.sh")
if [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
  check "no GUI libraries: the desktop binary cannot start (the masking works)" \
    bash -c "! ${NOGUI[*]} env -i HOME='$WORK/home' '$BIN' --version"
  check "no GUI libraries: gatehouse-server --version from its scratch root" \
    "${NOGUI[@]}" env -i HOME="$WORK/home" "$SBIN" --version
  check "no GUI libraries: gatehouse-server serve from its scratch root answers /healthz" \
    serve_healthz nogui "$SBIN" "${NOGUI[@]}"
else
  skip "gatehouse-server with GUI libraries masked" "needs root and unshare -m"
fi

# MemoryDenyWriteExecute= in the unit: the kernel's equivalent (PR_SET_MDWE, Linux 6.3+).
cat >"$WORK/mdwe.py" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
    sys.exit(3)
os.execv(sys.argv[1], sys.argv[1:])
PY
if python3 "$WORK/mdwe.py" /bin/true 2>/dev/null; then
  check "gatehouse-server: serve works with write+execute memory refused (MemoryDenyWriteExecute)" \
    serve_healthz mdwe "$SBIN" python3 "$WORK/mdwe.py"
else
  skip "gatehouse-server: serve with write+execute memory refused" "kernel without PR_SET_MDWE"
fi

# ---- Desktop entry and AppStream ----------------------------------------------------------------
DESKTOP=$PKGROOT/usr/share/applications/gatehouse.desktop
METAINFO=$PKGROOT/usr/share/metainfo/io.github.gatehouse.Gatehouse.metainfo.xml
check "desktop-file-validate gatehouse.desktop" bash -c "out=\$(desktop-file-validate '$DESKTOP' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
check "appstreamcli validate --no-net metainfo" appstreamcli validate --no-net "$METAINFO"

desktop_consistency() {
  grep -qx 'Exec=gatehouse' "$DESKTOP" && grep -qx 'Icon=gatehouse' "$DESKTOP" &&
    grep -q '^Categories=.*;' "$DESKTOP" && grep -q '^Keywords=.*;' "$DESKTOP" &&
    grep -q '<launchable type="desktop-id">gatehouse.desktop</launchable>' "$METAINFO" &&
    grep -q '<project_license>GPL-3.0-or-later</project_license>' "$METAINFO" &&
    grep -q '<metadata_license>CC0-1.0</metadata_license>' "$METAINFO" &&
    grep -q '<content_rating type="oars-1.1"' "$METAINFO" &&
    grep -q 'docs/screenshots/overview.png</image>' "$METAINFO" &&
    grep -q "<release version=\"$VERSION\"" "$METAINFO" || {
    echo "desktop entry / metainfo disagree or lack a field (Exec, Icon, Categories, Keywords,"
    echo "launchable, licenses, content rating, screenshot, <release version=\"$VERSION\">)"
    return 1
  }
}
check "desktop entry and metainfo agree (launchable, icon, licenses, screenshot, release $VERSION)" \
  desktop_consistency

# ---- systemd unit ---------------------------------------------------------------------------------
UNIT=$PKGROOT/usr/lib/systemd/system/gatehouse.service
unit_directives() {
  local missing=() line
  for line in 'ExecStart=/usr/bin/gatehouse-server serve --data-dir /var/lib/gatehouse' 'User=gatehouse' \
    'StateDirectory=gatehouse' 'StateDirectoryMode=0700' 'EnvironmentFile=-/etc/gatehouse/env' \
    'Environment=GATEHOUSE_SECRET_STORE=file' 'Restart=on-failure' 'NoNewPrivileges=yes' \
    'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'ProtectKernelTunables=yes' \
    'ProtectKernelModules=yes' 'ProtectKernelLogs=yes' 'ProtectControlGroups=yes' \
    'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' 'RestrictNamespaces=yes' \
    'SystemCallArchitectures=native' 'CapabilityBoundingSet=' 'WantedBy=multi-user.target'; do
    grep -qxF "$line" "$UNIT" || missing+=("$line")
  done
  [ ${#missing[@]} -eq 0 ] || { printf 'missing: %s\n' "${missing[@]}"; return 1; }
}
check "systemd unit: ExecStart, User, StateDirectory 0700, EnvironmentFile, hardening" unit_directives

if command -v systemd-analyze >/dev/null; then
  # verify resolves ExecStart on this machine, so point it at the unpacked binary; any message
  # (unknown key, bad value) counts as a failure, as systemd-analyze still exits 0 on those.
  sed "s|^ExecStart=/usr/bin/gatehouse-server|ExecStart=$SBIN|" "$UNIT" >"$WORK/gatehouse.service"
  check "systemd-analyze verify gatehouse.service (no warnings)" \
    bash -c "out=\$(systemd-analyze verify --man=no '$WORK/gatehouse.service' 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -eq 0 ] && [ -z \"\$out\" ]"
  check "systemd-analyze security --offline: exposure at most 2.0" \
    bash -c "systemd-analyze security --offline=yes --threshold=20 '$WORK/gatehouse.service' | tail -1"
else
  skip "systemd-analyze verify" "systemd not installed"
fi

# ---- lintian --------------------------------------------------------------------------------------
if command -v lintian >/dev/null; then
  check "lintian gatehouse-server: no errors" bash -c "lintian --fail-on error '$SDEB' 2>&1 | grep -v 'running with root privileges'; exit \${PIPESTATUS[0]}"
  check "lintian gatehouse: no errors" bash -c "lintian --fail-on error '$DEB' 2>&1 | grep -v 'running with root privileges'; exit \${PIPESTATUS[0]}"
else
  skip "lintian" "not installed"
fi

finish package
