#!/usr/bin/env bash
# Installs what Limber needs on Debian 12 / Ubuntu, skipping whatever is already there.
# Idempotent and non-interactive. Usage: scripts/setup.sh [--test]
#   (no flag)  build dependencies (WebKitGTK, GTK, librsvg, OpenSSL, ALSA, compiler, pkg-config)
#   --test     also Xvfb, dbus-daemon, dunst, WebKitWebDriver, ImageMagick, x11-utils, curl,
#              openbox, wmctrl and xterm (a real window manager and a fullscreen client),
#              Python 3 (the soak), PulseAudio with its ALSA plugin (the sound cues),
#              Sway (a real Wayland compositor, run headless), tauri-driver and cargo-fuzz
#              (from crates.io), for the end-to-end tests and the fuzzers; as root, also
#              the unprivileged user `limber-e2e` the tests run Sway as (it refuses root)
set -euo pipefail

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

build_packages=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libssl-dev libasound2-dev
  build-essential pkg-config)
test_packages=(xvfb dbus-daemon dbus-bin dunst webkit2gtk-driver imagemagick x11-utils curl
  openbox wmctrl xterm desktop-file-utils python3)
# Without their recommendations: Sway's would bring a lock screen, a wallpaper tool and dmenu;
# PulseAudio's a desktop's worth of audio helpers (the tests need a server and its ALSA plugin).
test_packages_alone=(sway pulseaudio-utils libasound2-plugins)
# The tests run a private PulseAudio server. A desktop whose sound already goes through
# PipeWire keeps it: PulseAudio is not installed beside it, and the one sound test then says
# it cannot run (and fails under CI).
if ! dpkg-query -W -f='${Status}' pipewire-pulse 2>/dev/null | grep -q "install ok installed"; then
  test_packages_alone+=(pulseaudio)
fi

packages=("${build_packages[@]}")
alone=()
if [ "$want_test" = 1 ]; then
  packages+=("${test_packages[@]}")
  alone+=("${test_packages_alone[@]}")
fi

missing_of() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      echo "$pkg"
    fi
  done
}
mapfile -t missing < <(missing_of "${packages[@]}")
mapfile -t missing_alone < <(missing_of "${alone[@]}")

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ "${#missing[@]}" -gt 0 ] || [ "${#missing_alone[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]} ${missing_alone[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=120 update -q
  if [ "${#missing[@]}" -gt 0 ]; then
    $sudo apt-get -o DPkg::Lock::Timeout=120 install -y -q "${missing[@]}"
  fi
  if [ "${#missing_alone[@]}" -gt 0 ]; then
    $sudo apt-get -o DPkg::Lock::Timeout=120 install -y -q --no-install-recommends "${missing_alone[@]}"
  fi
else
  echo "setup: system packages already installed"
fi

if [ "$want_test" = 1 ] && [ "$(id -u)" -eq 0 ] && ! id limber-e2e >/dev/null 2>&1; then
  echo "setup: creating the test user limber-e2e"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin limber-e2e
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust (cargo, 1.92 or newer) is required; install it with rustup, then run this again" >&2
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
