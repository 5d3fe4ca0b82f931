#!/usr/bin/env bash
# How the agent's release profile was chosen: builds `limber` under several profiles (each
# in its own target folder under /tmp, so the project's build is untouched) and measures
# the binary and the idle agent's RSS and USS 20 s after start, with a tray host, under
# Xvfb. Prints one line per variant. Takes several minutes per variant.
# Usage: bench/agent-variants.sh [VARIANT...]   (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A variants=(
  [o3-thin-cgu4]="3 thin 4"
  [o3-fat-cgu1]="3 fat 1"
  [os-thin-cgu4]="s thin 4"
  [os-fat-cgu1]="s fat 1"
  [oz-fat-cgu1]="z fat 1"
)
names=("$@"); [ "${#names[@]}" -gt 0 ] || names=(o3-thin-cgu4 o3-fat-cgu1 os-thin-cgu4 os-fat-cgu1 oz-fat-cgu1)
cargo build --bin sni-watcher -p limber-e2e >/dev/null 2>&1
watcher=$(readlink -f target/debug/sni-watcher)

measure() { # binary -> "rss_kib uss_kib"
  local bin=$1 work; work=$(mktemp -d /tmp/limber-variant.XXXXXX)
  mkdir -p "$work/run" "$work/cfg/limber"; chmod 700 "$work/run"
  echo '{"welcomed": true}' >"$work/cfg/limber/settings.json"
  local pids=()
  Xvfb -displayfd 3 -screen 0 800x600x24 -nolisten tcp 3>"$work/display" 2>/dev/null & pids+=($!)
  for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  dbus-daemon --session --nofork --nopidfile --print-address=4 4>"$work/bus" 2>/dev/null & pids+=($!)
  for _ in $(seq 50); do [ -s "$work/bus" ] && break; sleep 0.1; done
  local env=(env DISPLAY=":$(cat "$work/display")" DBUS_SESSION_BUS_ADDRESS="$(head -n1 "$work/bus")"
    XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/cfg" XDG_DATA_HOME="$work/data"
    LIMBER_WINDOW_BIN=/bin/true RUST_LOG=warn DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/none")
  "${env[@]}" "$watcher" "$work/w.txt" 2>/dev/null & pids+=($!)
  sleep 0.5
  "${env[@]}" "$bin" 2>/dev/null & local agent=$!; pids+=($agent)
  sleep 20
  awk '/^Rss:/ {r=$2} /^Private_Clean:/ {u+=$2} /^Private_Dirty:/ {u+=$2} END {print r+0, u+0}' "/proc/$agent/smaps_rollup"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3; rm -rf "$work"
}

for name in "${names[@]}"; do
  read -r opt lto cgu <<<"${variants[$name]}"
  dir=/tmp/limber-variants/$name; mkdir -p /tmp/limber-variants
  CARGO_TARGET_DIR=$dir CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt CARGO_PROFILE_RELEASE_LTO=$lto \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=$cgu cargo build --release --locked -p limber --bin limber >"/tmp/limber-variants/$name.build.log" 2>&1 || { echo "$name: build failed (see /tmp/limber-variants/$name.build.log)"; continue; }
  size=$(stat -c %s "$dir/release/limber")
  read -r rss uss < <(measure "$dir/release/limber")
  read -r rss2 uss2 < <(measure "$dir/release/limber")
  echo "$name: binary $((size / 1024)) KiB; idle RSS $rss / $rss2 KiB, USS $uss / $uss2 KiB"
done
