#!/usr/bin/env python3
"""An accelerated day: CYCLES breaks (default 100), each brought at once, met by opening the
window (every other one with a short guided session), closed the way a user closes it (the
window manager's close), then snoozed or skipped. Afterwards the agent's memory and open
files must be where they were after the first cycles, and no window or WebKit process may
be left. Exits 1 if not.

Usage: python3 bench/soak.py [CYCLES] [--bin-dir DIR]   (needs Xvfb, openbox, wmctrl)
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402

SHORT = {"id": "soak", "name": "Soak",
         "steps": [{"exercise": "childs-pose", "hold_s": 2, "rest_s": 1}]}


def open_files(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def strays():
    return sorted(compare.comm(int(p)) for p in os.listdir("/proc") if p.isdigit()
                  and compare.comm(int(p)).startswith(("WebKit", "limber-window")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cycles", nargs="?", type=int, default=100)
    parser.add_argument("--bin-dir", default=str(compare.ROOT / "target/release"))
    args = parser.parse_args()
    limber = str(Path(args.bin_dir).resolve() / "limber")
    desktop = compare.Desktop("soak", panel=False)
    failures = []
    try:
        routines = Path(desktop.env["XDG_CONFIG_HOME"]) / "limber/routines"
        routines.mkdir(parents=True, exist_ok=True)
        (routines / "soak.json").write_text(json.dumps(SHORT))
        agent = desktop.spawn([limber], log="limber")
        deadline = time.monotonic() + 20
        while desktop.run([limber, "status"]).returncode != 0:
            if time.monotonic() > deadline:
                raise SystemExit("soak: the agent did not start")
            time.sleep(0.1)
        log = desktop.dir / "limber.log"
        warm = None
        started = time.monotonic()
        for cycle in range(1, args.cycles + 1):
            asked = int(time.time() * 1000)
            desktop.run([limber, "break"])
            if cycle % 2:
                desktop.run([limber, "start", "soak"])
            else:
                desktop.run([limber, "open", "session"])
            if compare.first_paint_ms(log, asked, timeout=30) is None:
                failures.append(f"cycle {cycle}: the window never painted")
                break
            if cycle % 2:
                time.sleep(1)
                desktop.run([limber, "session", "stop"])
            desktop.run(["wmctrl", "-c", "Limber"])
            gone = time.monotonic() + 15
            while len(compare.tree(agent.pid)) > 1 and time.monotonic() < gone:
                time.sleep(0.05)
            if len(compare.tree(agent.pid)) > 1:
                failures.append(f"cycle {cycle}: the window did not close")
                break
            desktop.run([limber, "snooze" if cycle % 3 else "skip"])
            if cycle == 5:
                time.sleep(2)
                warm = (compare.memory([agent.pid]), open_files(agent.pid))
        time.sleep(3)
        end = (compare.memory([agent.pid]), open_files(agent.pid))
        left = strays()
        elapsed = time.monotonic() - started
        if warm:
            grown = end[0]["rss"] - warm[0]["rss"]
            anon = end[0]["anon"] - warm[0]["anon"]
            print(f"soak: {args.cycles} cycles in {elapsed:.0f} s; agent RSS {warm[0]['rss']} KiB after 5 "
                  f"cycles, {end[0]['rss']} KiB after all ({grown:+} KiB); anonymous (heap and "
                  f"stacks) {warm[0]['anon']} → {end[0]['anon']} KiB ({anon:+} KiB); USS "
                  f"{warm[0]['uss']} → {end[0]['uss']} KiB; open files {warm[1]} → {end[1]}; "
                  f"left behind: {', '.join(left) or 'nothing'}")
            # RSS also counts the program's own code pages, which the agent drops when its
            # last client leaves and reads back as it runs: ±1 MiB between two moments
            # without any growth. A leak grows the anonymous memory.
            if grown > 2048:
                failures.append(f"the agent's RSS grew by {grown} KiB")
            if anon > 512:
                failures.append(f"the agent's heap grew by {anon} KiB")
            if end[1] > warm[1]:
                failures.append(f"{end[1] - warm[1]} more open files")
        if left:
            failures.append(f"left behind: {', '.join(left)}")
    finally:
        desktop.close()
    for failure in failures:
        print(f"soak: FAILED: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
