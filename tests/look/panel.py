#!/usr/bin/env python3
"""Screenshots Limber's tray icon in a real panel (xfce4-panel's status tray), on a light and
a dark panel, in each state (counting, paused, break due), at each icon size asked for.
For looking at, not a pass/fail test: writes target/look/panel-<light|dark>-<size>.png.

Usage: python3 tests/look/panel.py [ICON_SIZE ...]   (default 16 22; needs a release build)
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import compare  # noqa: E402

PANELS = {"light": (0.96, 0.96, 0.95), "dark": (0.19, 0.19, 0.19)}


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [16, 22]
    limber = str(ROOT / "target/release/limber")
    out = ROOT / "target/look"
    out.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        for label, rgba in PANELS.items():
            desktop = compare.Desktop(f"look-{label}", panel_rgba=rgba, icon_size=size)
            try:
                desktop.spawn([limber], log="limber")
                time.sleep(2)
                shots = []
                for state, verbs in (("active", []), ("paused", [["pause", "1h"]]),
                                     ("due", [["resume"], ["break"]])):
                    for verb in verbs:
                        desktop.run([limber, *verb])
                    time.sleep(1.5)
                    shot = desktop.dir / f"{state}.png"
                    desktop.run(["import", "-window", "root", "-crop",
                                 f"64x{size + 8}+{compare.WIDTH - 64}+0", "+repage", str(shot)])
                    shots.append(str(shot))
                path = out / f"panel-{label}-{size}.png"
                subprocess.run(["convert", *shots, "+append", "-scale", "400%", str(path)], check=True)
                print(path)
                desktop.run([limber, "quit"])
            finally:
                desktop.close()


if __name__ == "__main__":
    main()
