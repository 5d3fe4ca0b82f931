#!/usr/bin/env bash
# Installs what Limber needs on Debian 12 / Ubuntu, skipping whatever is already there.
# Idempotent and non-interactive. Usage: scripts/setup.sh [--test]
#   (no flag)  build dependencies (WebKitGTK, GTK, librsvg, OpenSSL, compiler, pkg-config)
#   --test     also Xvfb, dbus-daemon, dunst, WebKitWebDriver, ImageMagick, x11-utils, curl,
#              openbox, wmctrl and xterm (a real window manager and a fullscreen client),
#              and tauri-driver and cargo-fuzz (from crates.io), for the end-to-end tests and
#              the fuzzers
set -euo pipefail

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

build_packages=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libssl-dev build-essential pkg-config)
test_packages=(xvfb dbus-daemon dbus-bin dunst webkit2gtk-driver imagemagick x11-utils curl
  openbox wmctrl xterm)

packages=("${build_packages[@]}")
[ "$want_test" = 1 ] && packages+=("${test_packages[@]}")

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=120 update -q
  $sudo apt-get -o DPkg::Lock::Timeout=120 install -y -q "${missing[@]}"
else
  echo "setup: system packages already installed"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust (cargo, 1.90 or newer) is required; install it with rustup, then run this again" >&2
  exit 1
fi

if [ "$want_test" = 1 ]; then
  if command -v rustup >/dev/null 2>&1; then
    for component in rustfmt clippy; do
      rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
    done
  fi
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "setup: installing cargo-fuzz"
    cargo install cargo-fuzz --version '^0.13' --locked
  fi
fi
