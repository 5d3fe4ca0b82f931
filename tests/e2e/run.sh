#!/usr/bin/env bash
# Runs the E2E suite against the real binaries: starts Xvfb, a private D-Bus session bus,
# dunst, a PulseAudio server with a null sink and tauri-driver (with Debian's WebKitWebDriver), runs tests/e2e, ends every
# process it started by PID (also when a test fails), and prints "e2e: N passed, N failed".
# Screenshots land in target/e2e-screenshots/.
set -uo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d /tmp/limber-e2e-run.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cargo build --workspace --bins || exit 1
cargo test -p limber-e2e --test e2e --no-run || exit 1

wait_for_file() { # file, what
  for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "run.sh: $2 did not start" >&2; exit 1
}

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
wait_for_file "$work/display" Xvfb
export DISPLAY=":$(head -n1 "$work/display")"

# A private session bus with the standard service directories (so a real user session's
# activation rules apply); dunst is started by us rather than activated, so we own its PID.
dbus-daemon --session --nofork --nopidfile --print-address=4 4>"$work/bus" 2>"$work/dbus.log" &
pids+=($!)
wait_for_file "$work/bus" dbus-daemon
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")
dbus-update-activation-environment DISPLAY DBUS_SESSION_BUS_ADDRESS 2>/dev/null || true

# Keep GTK from activating accessibility and portal helpers that would outlive the run.
export NO_AT_BRIDGE=1 GTK_A11Y=none GTK_USE_PORTAL=0
export WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1

export LIMBER_E2E_DMENU="$PWD/tests/e2e/dmenu.sh"
export LIMBER_E2E_DMENU_LOG="$work/dmenu.log" LIMBER_E2E_PICK_FILE="$work/dmenu.pick"
dunst -config tests/e2e/dunstrc >"$work/dunst.log" 2>&1 &
pids+=($!)

# A real sound server with one null sink, which the session's cues play into (the test
# records its monitor); ALSA's default device reaches it through the pulse plugin.
# (Without the pulseaudio program, e.g. on a PipeWire desktop, that one test says so.)
if command -v pulseaudio >/dev/null; then
  mkdir -p "$work/pulse"
  XDG_RUNTIME_DIR="$work/pulse" HOME="$work/pulse" pulseaudio -n --daemonize=no \
    --exit-idle-time=-1 --use-pid-file=no \
    --load="module-null-sink sink_name=limber_e2e" \
    --load="module-native-protocol-unix auth-anonymous=1 socket=$work/pulse/native" \
    >"$work/pulse.log" 2>&1 &
  pids+=($!)
  export PULSE_SERVER="unix:$work/pulse/native" LIMBER_E2E_SOUND_SERVER=1
  for _ in $(seq 1 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
else
  # No private server: nothing may play into the user's own.
  export PULSE_SERVER="unix:$work/no-sound-server"
fi

port=${LIMBER_E2E_PORT:-4444}
tauri-driver --port "$port" --native-port $((port + 1)) --native-driver /usr/bin/WebKitWebDriver \
  >"$work/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  sleep 0.1
done
export LIMBER_E2E_WEBDRIVER="http://127.0.0.1:$port"

mkdir -p target/e2e-screenshots
cargo test -p limber-e2e --test e2e -- --test-threads=1 "$@" 2>&1 | tee "$work/out"
rc=${PIPESTATUS[0]}

# The harness's own summary line, e.g. "test result: ok. 8 passed; 0 failed; ...".
summary=$(grep -E '^test result:' "$work/out" | tail -n1)
passed=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")
passed=${passed:-0}
if [ -z "$failed" ]; then failed=$([ "$rc" -eq 0 ] && echo 0 || echo 1); fi
if [ "$rc" -ne 0 ]; then
  echo "---- tauri-driver log ----"; tail -n 40 "$work/tauri-driver.log"
  echo "---- dunst log ----"; tail -n 20 "$work/dunst.log"
fi
echo "e2e: $passed passed, $failed failed"
exit "$rc"
