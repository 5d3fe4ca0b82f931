#!/usr/bin/env bash
# Installs what is missing, builds Limber (release) and starts the tray agent in the
# foreground. Ctrl-C (or "Quit" in the tray) stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --bins -p limber -p limber-window
exec ./target/release/limber
