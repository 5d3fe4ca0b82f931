#!/usr/bin/env bash
# Installs the real Debian package and uses it as a user would, then purges it:
#   - apt resolves its Depends from nothing (a machine that never built Limber), then
#     installs it;
#   - the installed `limber --version`, man page, completions and desktop entry are there;
#   - the installed agent runs under Xvfb with a private session bus and the test tray host,
#     registers its icon, and opens the installed window;
#   - start_at_login writes the login entry (running plain `limber`) and removes it;
#   - after `limber quit` and `apt purge`, nothing of the package is left, and the user's
#     settings and history are.
# Usage: scripts/install-test.sh [DEB]  (without DEB, scripts/package.sh makes one).
# It refuses to run where a Limber package was installed before (it would purge it), unless
# CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "install-test: $*"; }
fail() { echo "install-test: FAILED: $*" >&2; exit 1; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if dpkg-query -W -f='${Status}' limber 2>/dev/null | grep -q "install ok installed" && [ "${CI:-}" != true ]; then
  log "skipped: a limber package is installed here, and this test would purge it"
  exit 0
fi

deb=${1:-$(bash scripts/package.sh | tail -n1)}
[ -f "$deb" ] || fail "no package at '$deb'"
deb=$(readlink -f "$deb")
watcher=${LIMBER_WATCHER_BIN:-${CARGO_TARGET_DIR:-target}/release/sni-watcher}
[ -x "$watcher" ] || watcher=${CARGO_TARGET_DIR:-target}/debug/sni-watcher
[ -x "$watcher" ] || fail "no sni-watcher built (cargo build -p limber-e2e --bins)"
watcher=$(readlink -f "$watcher")

work=$(mktemp -d /tmp/limber-install-test.XXXXXX)
pids=()
cleanup() {
  local pid
  # Under set -e a kill of a process already gone would end the script with 1.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.3
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if dpkg-query -W -f='${Status}' limber 2>/dev/null | grep -q "install ok installed"; then
    $sudo apt-get purge -y -q limber >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
log "resolving the package's Depends from an empty system"
apt-get install -s -q -o Dir::State::status=/dev/null "$deb" >"$work/simulate.log" 2>&1 \
  || { tail -n 20 "$work/simulate.log"; fail "apt cannot resolve the Depends"; }
log "installing $(basename "$deb")"
$sudo apt-get -o DPkg::Lock::Timeout=120 install -y -q "$deb" >"$work/install.log" 2>&1 \
  || { tail -n 20 "$work/install.log"; fail "apt install"; }

[ "$(command -v limber)" = /usr/bin/limber ] || fail "limber is not /usr/bin/limber"
version=$(limber --version | head -n1)
[ "$version" = "limber $(dpkg-deb -f "$deb" Version | cut -d- -f1)" ] || fail "limber --version says '$version'"
log "installed: $version"
for file in /usr/bin/limber-window /usr/share/applications/limber.desktop \
  /usr/share/man/man1/limber.1.gz /usr/share/man/man1/limber-window.1.gz \
  /usr/share/bash-completion/completions/limber /usr/share/zsh/vendor-completions/_limber \
  /usr/share/fish/vendor_completions.d/limber.fish \
  /usr/share/icons/hicolor/16x16/apps/limber.png /usr/share/icons/hicolor/scalable/apps/limber.svg; do
  [ -e "$file" ] || fail "$file is missing"
done
man -l /usr/share/man/man1/limber.1.gz 2>/dev/null | grep -q "limber-restart" || fail "the man page lacks the verbs"

# A user's session: their own folders, a display, a session bus, a tray host.
home="$work/home"
mkdir -p "$home/.config" "$home/.local/share" "$work/runtime"
chmod 700 "$work/runtime"
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
  XDG_RUNTIME_DIR="$work/runtime"
unset WAYLAND_DISPLAY LIMBER_WINDOW_BIN
export NO_AT_BRIDGE=1 GTK_A11Y=none WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/no-system-bus"

Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -n1 "$work/display")"
dbus-daemon --session --nofork --nopidfile --print-address=4 4>"$work/bus" 2>"$work/dbus.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/bus" ] && break; sleep 0.1; done
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")
"$watcher" "$work/tray" >"$work/watcher.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q owning "$work/watcher.log" && break; sleep 0.1; done

wait_for() { # seconds, what, command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "$what"
}
status_has() { limber status --json | grep -q "$1"; }

log "starting the installed agent"
limber >"$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")
wait_for 20 "the installed agent did not answer" limber status
wait_for 20 "the tray icon did not register" status_has '"tray": true'
limber check-in 3 --note "from the install test" >/dev/null

log "opening the installed window"
limber open
wait_for 60 "the installed window did not connect" status_has '"window_open": true'
pgrep -f "^/usr/bin/limber-window" >/dev/null || fail "the window is not /usr/bin/limber-window"

log "start at login on and off"
entry="$XDG_CONFIG_HOME/autostart/limber.desktop"
limber config set start_at_login true >/dev/null
[ -f "$entry" ] || fail "no login entry at $entry"
grep -qx "Exec=limber --login" "$entry" || fail "the login entry does not run limber: $(cat "$entry")"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry" || fail "the login entry is not valid"; fi
limber config set start_at_login false >/dev/null
[ ! -e "$entry" ] || fail "the login entry was not removed"

log "quitting"
limber quit >/dev/null
wait_for 20 "the agent did not stop" bash -c "! kill -0 $agent"
wait_for 20 "the window did not close" bash -c '! pgrep -f "^/usr/bin/limber-window"'

log "purging the package"
$sudo apt-get purge -y -q limber >"$work/purge.log" 2>&1 || { tail -n 20 "$work/purge.log"; fail "apt purge"; }
for file in /usr/bin/limber /usr/bin/limber-window /usr/share/applications/limber.desktop \
  /usr/share/man/man1/limber.1.gz /usr/share/icons/hicolor/16x16/apps/limber.png; do
  [ ! -e "$file" ] || fail "$file is still there after purge"
done
[ -f "$XDG_CONFIG_HOME/limber/settings.json" ] || fail "the user's settings went with the package"
grep -q "from the install test" "$XDG_DATA_HOME/limber/history.jsonl" || fail "the user's history went with the package"
log "passed: $(basename "$deb"), $(stat -c %s "$deb") bytes; limber $(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/limber | wc -c) bytes, limber-window $(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/limber-window | wc -c) bytes"
