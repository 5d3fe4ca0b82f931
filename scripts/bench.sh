#!/usr/bin/env bash
# Measurements with real time and real sizes (release build). Exits non-zero if a target is
# missed. Usage: scripts/bench.sh [SESSION_SECONDS] [HISTORY_EVENTS] [HISTORY_MB]
#   history:           100 000 events are read and summarised in < 200 ms
#   status under load: `status` answers in < 50 ms while the agent reads a 50 MB history
#   session drift:     a ~10-minute guided session run with real sleeps ends < 50 ms off
#   break lateness:    a break snoozed for a minute comes due < 1 s after its time
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p limber-e2e --bin limber-bench
cargo build --release -p limber --bin limber
./target/release/limber-bench history "${2:-100000}"
./target/release/limber-bench status-under-load "${3:-50}"
./target/release/limber-bench session-drift "${1:-600}"
./target/release/limber-bench break-lateness 2
