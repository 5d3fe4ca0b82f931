#!/usr/bin/env bash
# Measurements with real time and real sizes (release build). Exits non-zero if a target is
# missed. Usage: scripts/bench.sh [SESSION_SECONDS] [HISTORY_EVENTS]
#   session drift: a ~10-minute guided session run with real sleeps ends < 50 ms off
#   history:       100 000 events are read and summarised in < 200 ms
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p limber-e2e --bin limber-bench
./target/release/limber-bench history "${2:-100000}"
./target/release/limber-bench session-drift "${1:-600}"
