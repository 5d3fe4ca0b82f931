#!/usr/bin/env bash
# Renders the tray icons the agent compiles in (icons/tray/<state>-<size>.png) from their SVG
# masters: the small masters (drawn for 16-24 px, thicker strokes) for 16, 22 and 24 px,
# the large ones for 32, 48 and 64 px. The agent sends every size, and the tray host picks
# the one that fits its panel. Run after changing an icon's SVG; the PNGs are kept in git.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { echo "render-icons: needs rsvg-convert (apt install librsvg2-bin)" >&2; exit 1; }
mkdir -p icons/tray
for state in tray tray-paused tray-due; do
  name=${state#tray-}; [ "$state" = tray ] && name=active
  for size in 16 22 24; do
    rsvg-convert -w "$size" -h "$size" "icons/$state-small.svg" -o "icons/tray/$name-$size.png"
  done
  for size in 32 48 64; do
    rsvg-convert -w "$size" -h "$size" "icons/$state.svg" -o "icons/tray/$name-$size.png"
  done
done
ls icons/tray
