#!/usr/bin/env bash
# Measures what Limber costs while it waits: RSS/USS and context switches (wake-ups) of the
# idle release agent over a span (default 60 s), then RSS/USS of the open window's whole
# process tree. Runs under Xvfb with a private D-Bus session and the test tray watcher.
# Usage: scripts/measure-idle.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
span=${1:-60}
cargo build --release --bins -p limber -p limber-window >/dev/null
cargo build --bin sni-watcher -p limber-e2e >/dev/null

work=$(mktemp -d /tmp/limber-measure.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"
dbus-daemon --session --nofork --nopidfile --print-address=4 4>"$work/bus" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/bus" ] && break; sleep 0.1; done
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")
export NO_AT_BRIDGE=1 GTK_A11Y=none
target/debug/sni-watcher "$work/watcher.txt" 2>/dev/null &
pids+=($!)
sleep 0.5

mkdir -p "$work/cfg" "$work/data" "$work/run"; chmod 700 "$work/run"
export XDG_CONFIG_HOME="$work/cfg" XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
RUST_LOG=warn target/release/limber 2>"$work/agent.log" &
agent=$!
pids+=($agent)
sleep 3

mem() { # pid -> "rss_kb uss_kb"
  awk '/^Rss:/ {r=$2} /^Private_Clean:/ {u+=$2} /^Private_Dirty:/ {u+=$2} END {print r+0, u+0}' "/proc/$1/smaps_rollup"
}
switches() { # pid -> "tid switches" per thread
  for t in /proc/"$1"/task/*; do
    echo "${t##*/} $(awk '/ctxt_switches/ {s+=$2} END {print s+0}' "$t/status" 2>/dev/null)"
  done
}
tree() { # pid -> pid and all descendants
  local p=$1; echo "$p"
  for c in $(ps -o pid= --ppid "$p"); do tree "$c"; done
}

switches $agent >"$work/before"
sleep "$span"
switches $agent >"$work/after"
# Wake-ups: context switches of the threads alive at both readings (a thread that ended
# took its counters with it), and how many threads there were.
wakeups=$(awk 'NR==FNR {b[$1]=$2; next} ($1 in b) {s+=$2-b[$1]} END {print s+0}' "$work/before" "$work/after")
threads=$(wc -l <"$work/after")
read -r rss uss < <(mem $agent)
echo "idle agent: RSS $((rss / 1024)).$(( (rss % 1024) * 10 / 1024 )) MB, USS $((uss / 1024)).$(( (uss % 1024) * 10 / 1024 )) MB, $wakeups context switches in ${span} s ($threads threads)"

target/release/limber open
sleep 6
window=$(ps -o pid= --ppid "$agent" | head -n1 | tr -d ' ')
total_rss=0; total_uss=0; names=""
for p in $(tree "$window"); do
  read -r r u < <(mem "$p")
  total_rss=$((total_rss + r)); total_uss=$((total_uss + u))
  names="$names $(cat /proc/$p/comm)"
done
echo "open window tree ($names ): RSS $((total_rss / 1024)) MB, USS $((total_uss / 1024)) MB"
target/release/limber quit >/dev/null
