#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy, unit tests, the
# integration binary tests/it, and the end-to-end suite (which prints "e2e: N passed, N failed").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh --test
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --exclude limber-e2e
bash tests/e2e/run.sh
