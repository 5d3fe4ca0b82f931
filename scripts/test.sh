#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy, each crate's unit and
# integration tests, the end-to-end suite (which prints "e2e: N passed, N failed"), the
# fuzzers for a bounded time, and, on one release build, the Debian package (built,
# installed with apt, used, purged), the load test and a short soak (breaks with the window
# opened and closed; the agent must not grow and nothing may be left behind).
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
# The shipped programs alone (their features as the package has them), then the test tools.
cargo build --release --locked --bins -p limber -p limber-window
cargo build --release --locked --bins -p limber-e2e
stage "package"
deb=$(LIMBER_PACKAGE_NO_BUILD=1 bash scripts/package.sh | tail -n1)
stage "install the package"
bash scripts/install-test.sh "$deb"
stage "load"
./target/release/limber-bench load "${LOAD_SECONDS:-30}"
stage "soak"
python3 bench/soak.py "${SOAK_CYCLES:-20}"
stage "done in $((SECONDS - started)) s"
