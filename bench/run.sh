#!/usr/bin/env bash
# The side-by-side benchmark (see bench/README.md): installs what it needs when missing
# (Workrave and Safe Eyes from Debian, xfce4-panel, openbox, xdotool, wmctrl, ImageMagick,
# Python 3, PulseAudio), builds Limber's release binaries, and runs bench/compare.py with the arguments
# given (e.g. --idle 60, --only limber). Not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
packages=(workrave safeeyes xfce4-panel openbox xdotool wmctrl imagemagick xvfb dbus-daemon python3
  pulseaudio-utils libasound2-plugins)
# A private PulseAudio server per desktop, unless the machine's sound goes through PipeWire
# (then the desktops have no sound server, and the table says so).
if ! dpkg-query -W -f='${Status}' pipewire-pulse 2>/dev/null | grep -q "install ok installed"; then
  packages+=(pulseaudio)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bench: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=120 update -q >&2
  $sudo apt-get -o DPkg::Lock::Timeout=120 install -y -q --no-install-recommends "${missing[@]}" >&2
fi
cargo build --release --locked --bins -p limber -p limber-window >&2
exec python3 bench/compare.py "$@"
