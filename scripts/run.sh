#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and runs Gatehouse: the console when a display
# exists, `gatehouse serve` otherwise, on the embedded SQLite default.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/packages.sh"
ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}"
configure_and_build "$ROOT/build" -DGATEHOUSE_TESTS=OFF
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$ROOT/build/app/gatehouse" "$@"
else
  exec "$ROOT/build/app/gatehouse" serve "$@"
fi
