#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian 12 packages Gatehouse needs, and a helper that installs the missing ones.

BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-charts-dev qt6-svg-dev
  libqt6opengl6-dev libgl-dev qtkeychain-qt6-dev libqt6sql6-sqlite libqt6sql6-psql
  libsodium-dev libsecp256k1-dev libcurl4-openssl-dev libssl-dev
  libsqlite3-dev libcbor-dev libqrencode-dev
)
RUN_PACKAGES=(qt6-wayland xauth)
TEST_PACKAGES=(
  xvfb xauth openssl postgresql python3 python3-aiosmtpd python3-passlib python3-argon2
  chromium curl sqlite3 jq
  dbus-daemon gnome-keyring nodejs npm
  dpkg-dev desktop-file-utils appstream file lintian shellcheck
  clang clang-format libclang-rt-14-dev
  nginx-light
)
# bench/ only (not CI): load generator, reference server, the better-auth peer's PostgreSQL
# and Node, python3 for the data set, libsodium for the argon2id bound, perf for profiles.
BENCH_PACKAGES=(wrk nginx-light postgresql nodejs npm python3 libsodium-dev linux-perf)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages NAME…: installs those not yet installed (one apt-get update first).
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node may come from elsewhere than Debian; do not fight it.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
  fi
  local wanted=()
  for p in "${missing[@]}"; do [ -n "$p" ] && wanted+=("$p"); done
  [ ${#wanted[@]} -eq 0 ] && return 0
  echo "Installing: ${wanted[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}"
}

# configure_and_build BUILD_DIR [cmake args…]
configure_and_build() {
  local dir=$1; shift
  # Let ccache share objects between build folders and fresh clones of the repository.
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" --parallel
}
