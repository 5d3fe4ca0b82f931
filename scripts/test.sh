#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy, each crate's unit and
# integration tests, the end-to-end suite (which prints "e2e: N passed, N failed"), the
# fuzzers for a bounded time, and, on one release build, the load test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
started=$SECONDS
stage() { echo "== $1 (at $((SECONDS - started)) s)"; }

stage "setup"
bash scripts/setup.sh --test
stage "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
stage "unit and integration tests"
cargo test --workspace --exclude limber-e2e
stage "end-to-end"
bash tests/e2e/run.sh
stage "fuzzing"
bash tests/fuzz/run.sh "${FUZZ_SECONDS:-20}"
stage "release build"
cargo build --release --bins -p limber -p limber-window -p limber-e2e
stage "load"
./target/release/limber-bench load "${LOAD_SECONDS:-30}"
stage "done in $((SECONDS - started)) s"
