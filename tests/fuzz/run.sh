#!/usr/bin/env bash
# Fuzzes every parser a user or another program can feed (control-socket request lines,
# settings files, routine files, history lines, pause lengths) with libFuzzer through
# cargo-fuzz, each for a bounded time, starting from the seeds in tests/fuzz/seeds.
# A crash, a panic, a leak, or an input that makes a parser use more than 256 MB of memory
# at once fails the run; the input that did it is kept in tests/fuzz/artifacts/.
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET]   (default 20; FUZZ_SECONDS also works)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${FUZZ_SECONDS:-20}}
export PATH="$HOME/.cargo/bin:$PATH"
# cargo-fuzz builds with sanitizer flags the stable compiler keeps behind this switch.
export RUSTC_BOOTSTRAP=1
targets=(request_line settings_file routine_file history_line pause_length)

cargo fuzz build --fuzz-dir tests/fuzz 2>&1 | tail -n 1
work=$(mktemp -d /tmp/limber-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  log="$work/$target.log"
  if cargo fuzz run --fuzz-dir tests/fuzz "$target" "$work/$target" "tests/fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=65536 \
      -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n1)
    echo "fuzz: $target: ${runs:-?} inputs in ${seconds} s, no failure"
  else
    failed=1
    echo "fuzz: $target FAILED; the input is in tests/fuzz/artifacts/$target/" >&2
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -n 20 >&2 || tail -n 40 "$log" >&2
  fi
done
exit "$failed"
