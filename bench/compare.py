#!/usr/bin/env python3
"""Limber side by side with Workrave and Safe Eyes, on one machine in one run.

Each program runs alone on its own desktop: Xvfb, private D-Bus session and system buses, a
real tray host (xfce4-panel's status tray), a window manager (openbox) and a sound server
(PulseAudio with a null sink), with a fresh home. For each:

- time to ready: from launch until its icon is drawn in the panel;
- memory of its whole process tree 20 s after launch: RSS, PSS and USS;
- CPU time and context switches per minute over the idle span, then again while xdotool
  moves the pointer once a second (a user at work);
- for Limber also its window: opened on the session screen during a running session, cold
  (first window of the agent) and warm (opened again), time from the request to the first
  painted frame, the memory of the window's whole process tree, and what is left 2 s after
  it closes; then the same for a scheduled break (snoozed to come in one minute), whose
  window the agent readies unseen 10 s before it: from the break coming due to the first
  paint, and the memory the readied window holds while unseen.

Usage: bench/run.sh [--idle SECONDS] [--only NAME ...] (see bench/README.md).
Writes bench/results/latest.json and latest.md and prints the table.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOUND_SERVER = shutil.which("pulseaudio") is not None
PANEL_XML = """<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="{panel_size}"/>
      <property name="icon-size" type="uint" value="{icon_size}"/>{background}
      <property name="plugin-ids" type="array"><value type="int" value="1"/><value type="int" value="2"/></property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="separator">
      <property name="expand" type="bool" value="true"/><property name="style" type="uint" value="0"/>
    </property>
    <property name="plugin-2" type="string" value="systray">
      <property name="icon-size" type="int" value="{icon_size}"/>
    </property>
  </property>
</channel>
"""
BACKGROUND_XML = """
      <property name="background-style" type="uint" value="1"/>
      <property name="background-rgba" type="array">
        <value type="double" value="{0}"/><value type="double" value="{1}"/><value type="double" value="{2}"/><value type="double" value="1"/>
      </property>"""
WIDTH, HEIGHT = 1280, 800
TRAY_AREA = (WIDTH - 240, 0, 240, 30)  # x, y, w, h: the panel's right end


# ---------- processes ----------

def children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid):
    """`pid` and every process below it."""
    kids = children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if os.path.exists(f"/proc/{p}"):
            out.append(p)
            todo.extend(kids.get(p, []))
    return out


def comm(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def memory(pids):
    """RSS, PSS, USS (private clean + private dirty) and anonymous memory (heap, stacks: what
    a leak grows; RSS also holds program pages that come and go) in KiB, summed over `pids`."""
    total = {"rss": 0, "pss": 0, "uss": 0, "anon": 0}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        fields = dict(re.findall(r"^(\w+):\s+(\d+) kB", text, re.M))
        total["rss"] += int(fields.get("Rss", 0))
        total["pss"] += int(fields.get("Pss", 0))
        total["uss"] += int(fields.get("Private_Clean", 0)) + int(fields.get("Private_Dirty", 0))
        total["anon"] += int(fields.get("Anonymous", 0))
    return total


def counters(pids):
    """{(pid, tid): (CPU time in ns, context switches)} for every thread of `pids`.

    CPU time comes from `schedstat` (nanoseconds): an idle program uses a few clock ticks
    (10 ms each) in two minutes, too coarse to compare two spans."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            base = f"/proc/{pid}/task/{tid}"
            try:
                on_cpu_ns = int(Path(f"{base}/schedstat").read_text().split()[0])
                status = Path(f"{base}/status").read_text()
            except (OSError, ValueError, IndexError):
                continue
            switches = sum(int(v) for v in re.findall(r"ctxt_switches:\s+(\d+)", status))
            out[(pid, tid)] = (on_cpu_ns, switches)
    return out


def activity(before, after, seconds):
    """CPU % and context switches per minute between two readings (threads alive at both,
    plus threads that appeared, counted from zero)."""
    on_cpu_ns = switches = 0
    for key, (t1, s1) in after.items():
        t0, s0 = before.get(key, (0, 0))
        on_cpu_ns += max(0, t1 - t0)
        switches += max(0, s1 - s0)
    return {
        "cpu_percent": round(100.0 * on_cpu_ns / 1e9 / seconds, 4),
        "switches_per_min": round(switches * 60.0 / seconds, 1),
    }


# ---------- a desktop of its own ----------

class Desktop:
    """A desktop of its own. `panel`: xfce4-panel with its status tray; `panel_rgba`: its
    colour (red, green, blue from 0 to 1; default the theme's); `icon_size`: tray icons."""

    def __init__(self, name, panel=True, panel_rgba=None, icon_size=22):
        self.dir = Path(tempfile.mkdtemp(prefix=f"limber-bench-{name}-"))
        self.home = self.dir / "home"
        config = self.home / ".config"
        (config / "xfce4/xfconf/xfce-perchannel-xml").mkdir(parents=True)
        background = BACKGROUND_XML.format(*panel_rgba) if panel_rgba else ""
        (config / "xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml").write_text(
            PANEL_XML.format(panel_size=icon_size + 8, icon_size=icon_size, background=background))
        (config / "limber").mkdir(parents=True)
        (config / "limber/settings.json").write_text('{"welcomed": true}\n')
        (config / "safeeyes").mkdir(parents=True)
        (self.home / ".local/share").mkdir(parents=True)
        runtime = self.dir / "runtime"
        runtime.mkdir(mode=0o700)
        self.procs = []
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "USER": os.environ.get("USER", "root"),
            "XDG_CONFIG_HOME": str(config),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "LANG": "C.UTF-8",
            "NO_AT_BRIDGE": "1",
            "GTK_A11Y": "none",
            "WEBKIT_DISABLE_DMABUF_RENDERER": "1",
            "LIBGL_ALWAYS_SOFTWARE": "1",
            # The window says when it started and when its first frame was drawn.
            "LIMBER_WINDOW_TIMING": "1",
        }
        # Experiments: LIMBER_WEBVIEW (see src-tauri/window/webview.rs), and BENCH_ENV_X=v
        # to give every program X=v.
        if os.environ.get("LIMBER_WEBVIEW"):
            self.env["LIMBER_WEBVIEW"] = os.environ["LIMBER_WEBVIEW"]
        for key, value in os.environ.items():
            if key.startswith("BENCH_ENV_"):
                self.env[key[len("BENCH_ENV_"):]] = value
        read, write = os.pipe()
        self.spawn(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
                    "-nolisten", "tcp"], pass_fds=(write,))
        os.close(write)
        with os.fdopen(read) as f:
            self.env["DISPLAY"] = ":" + f.readline().strip()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.bus()
        # A private bus in the system bus's place, with no system services on it: the
        # programs stay away from this machine's own logind, and each finds a system bus as
        # on a desktop. Safe Eyes does not start without one (it listens there for suspend).
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = self.bus()
        # A sound server with a null sink, as a desktop has one: programs that play sounds
        # (Limber's session cues) pay for their audio path here.
        pulse = self.dir / "pulse"
        pulse.mkdir()
        if SOUND_SERVER:
            self.spawn(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                        "--use-pid-file=no", "--load=module-null-sink sink_name=bench",
                        f"--load=module-native-protocol-unix auth-anonymous=1 socket={pulse}/native"],
                       log="pulse")
        # Without a server of ours, this names none, so nothing plays into the user's own.
        self.env["PULSE_SERVER"] = f"unix:{pulse}/native"
        self.spawn(["openbox"], log="openbox")
        if panel:
            self.spawn(["xfce4-panel", "--disable-wm-check"], log="panel")
            time.sleep(3)
            self.empty_tray = self.tray_pixels()

    def bus(self):
        """Starts a private D-Bus daemon and returns its address."""
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                "--print-address=1"], env=self.env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
        self.procs.append(bus)
        return bus.stdout.readline().strip()

    def spawn(self, argv, log=None, **kw):
        out = open(self.dir / f"{log}.log", "w") if log else subprocess.DEVNULL
        proc = subprocess.Popen(argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, **kw)
        self.procs.append(proc)
        return proc

    def run(self, argv, **kw):
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, **kw)

    def tray_pixels(self):
        x, y, w, h = TRAY_AREA
        return subprocess.run(["import", "-window", "root", "-crop", f"{w}x{h}+{x}+{y}",
                               "-depth", "8", "rgb:-"], env=self.env,
                              capture_output=True).stdout

    def wait_for_icon(self, since, timeout=60):
        while time.monotonic() - since < timeout:
            if self.tray_pixels() != self.empty_tray:
                return round(time.monotonic() - since, 2)
            time.sleep(0.05)
        return None

    def move_pointer(self, i):
        self.run(["xdotool", "mousemove", str(200 + 40 * (i % 2)), str(300 + 40 * (i % 2))])

    def close(self):
        for proc in reversed(self.procs):
            try:
                for pid in reversed(tree(proc.pid)):
                    os.kill(pid, 15)
            except ProcessLookupError:
                pass
        time.sleep(0.5)
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------- one program ----------

def measure(desktop, argv, idle_s, log):
    started = time.monotonic()
    proc = desktop.spawn(argv, log=log)
    result = {"ready_s": desktop.wait_for_icon(started)}
    time.sleep(max(0.0, started + 20 - time.monotonic()))
    pids = tree(proc.pid)
    result["processes"] = sorted({comm(p) for p in pids})
    result["memory_kib"] = memory(pids)
    before = counters(tree(proc.pid))
    time.sleep(idle_s)
    result["idle"] = activity(before, counters(tree(proc.pid)), idle_s)
    before = counters(tree(proc.pid))
    span_start = time.monotonic()
    for i in range(idle_s):
        desktop.move_pointer(i)
        time.sleep(max(0.0, span_start + i + 1 - time.monotonic()))
    result["with_input"] = activity(before, counters(tree(proc.pid)), idle_s)
    return proc, result


def first_paint_ms(log_path, after_ms, timeout=30):
    """The window's "first paint at N ms" logged after `after_ms` (epoch ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log_path.read_text(errors="replace").splitlines():
            m = re.search(r"first paint at (\d+) ms", line)
            if m and int(m.group(1)) >= after_ms:
                return int(m.group(1)) - after_ms
        time.sleep(0.05)
    return None


def window_figures(desktop, agent, log, asked_ms):
    """First paint after `asked_ms`, the window tree's memory 5 s later, then what is left
    2 s after the window manager closes it."""
    paint = first_paint_ms(log, asked_ms, timeout=90)
    time.sleep(5)
    windows = [p for p in tree(agent.pid) if p != agent.pid]
    figures = {
        "first_paint_ms": paint,
        "processes": sorted({comm(p) for p in windows}),
        "memory_kib": memory(windows),
        "by_process_kib": {f"{comm(p)} ({p})": memory([p]) for p in windows},
    }
    desktop.run(["wmctrl", "-c", "Limber"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(tree(agent.pid)) > 1:
        time.sleep(0.1)
    time.sleep(2)
    left = [p for p in tree(agent.pid) if p != agent.pid]
    strays = [p for p in os.listdir("/proc") if p.isdigit()
              and comm(int(p)).startswith(("WebKit", "limber-window"))]
    figures["left_after_close"] = {
        "processes": sorted({comm(p) for p in left}) + sorted({comm(int(p)) for p in strays}),
        "agent_memory_kib": memory([agent.pid]),
    }
    return figures


def limber_window(desktop, agent, bin_dir):
    """Opens the window on a running session twice (cold, warm), then lets a scheduled
    break open it (readied unseen 10 s before); returns its figures."""
    limber = str(bin_dir / "limber")
    log = desktop.dir / "limber.log"
    out = {}
    for run in ("cold", "warm"):
        asked = int(time.time() * 1000)
        if run == "cold":
            desktop.run([limber, "start", "back-stretches"])
        else:
            desktop.run([limber, "open", "session"])
        out[run] = window_figures(desktop, agent, log, asked)
        time.sleep(2)
    desktop.run([limber, "session", "stop"])
    # A break due in one minute, the shortest a user can ask for: a break now (notified
    # only), then a one-minute snooze, with the default style (notification and window).
    desktop.run([limber, "config", "set", "break_style", "notification"])
    desktop.run([limber, "break"])
    desktop.run([limber, "config", "set", "break_style", "both"])
    # Timed from before the CLI starts: the figure includes its start and round trip.
    snoozed = int(time.time() * 1000)
    desktop.run([limber, "snooze", "1"])
    due = snoozed + 60_000
    # Readied 10 s before the break: its cost while unseen, 5 s after it started.
    readied = None
    while readied is None and time.time() * 1000 < due:
        readied = next((p for p in tree(agent.pid) if comm(p) == "limber-window"), None)
        time.sleep(0.1)
    time.sleep(5)
    unseen = [p for p in tree(agent.pid) if p != agent.pid] if readied else []
    readied_unseen = {
        "processes": sorted({comm(p) for p in unseen}),
        "memory_kib": memory(unseen),
    } if unseen else None
    out["break"] = window_figures(desktop, agent, log, due)
    out["break"]["readied_unseen"] = readied_unseen
    return out


PROGRAMS = {
    "limber": lambda bin_dir: [str(bin_dir / "limber")],
    "workrave": lambda _: ["workrave"],
    "safeeyes": lambda _: ["safeeyes"],
}


def version(name, bin_dir):
    cmd = {"limber": [str(bin_dir / "limber"), "-V"],
           "workrave": ["dpkg-query", "-W", "-f=${Version}", "workrave"],
           "safeeyes": ["dpkg-query", "-W", "-f=${Version}", "safeeyes"]}[name]
    return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()


# ---------- the report ----------

def mib(kib):
    return f"{kib / 1024:.1f}"


def ratio(limber, other):
    if not limber or other is None:
        return "–"
    return f"{other / limber:.1f}×"


def table(results):
    names = [n for n in ("limber", "workrave", "safeeyes") if n in results["programs"]]
    peers = [n for n in names if n != "limber"]
    lim = results["programs"].get("limber")
    rows = [
        ("time to ready (s)", lambda r: r["ready_s"], lambda v: f"{v}" if v is not None else "–"),
        ("RSS, whole tree (MiB)", lambda r: r["memory_kib"]["rss"], mib),
        ("PSS (MiB)", lambda r: r["memory_kib"]["pss"], mib),
        ("USS (MiB)", lambda r: r["memory_kib"]["uss"], mib),
        ("idle CPU (%)", lambda r: r["idle"]["cpu_percent"], str),
        ("idle context switches / min", lambda r: r["idle"]["switches_per_min"], str),
        ("CPU with input (%)", lambda r: r["with_input"]["cpu_percent"], str),
        ("context switches / min with input", lambda r: r["with_input"]["switches_per_min"], str),
    ]
    head = "| | " + " | ".join(names) + "".join(f" | {p} ÷ Limber" for p in peers) + " |"
    lines = [head, "|---" * (1 + len(names) + len(peers)) + "|"]
    for label, get, fmt in rows:
        cells = [fmt(get(results["programs"][n])) for n in names]
        ratios = [ratio(get(lim), get(results["programs"][p])) if lim else "–" for p in peers]
        lines.append(f"| {label} | " + " | ".join(cells + ratios) + " |")
    if lim and "window" in lim:
        lines.append("")
        w = lim["window"]
        runs = [r for r in ("cold", "warm", "break") if r in w]
        heads = {"cold": "cold", "warm": "warm", "break": "at a break (readied 10 s before)"}
        row = lambda label, cell: lines.append(f"| {label} | " + " | ".join(cell(w[r]) for r in runs) + " |")
        lines.append("| Limber's window (session screen) | " + " | ".join(heads[r] for r in runs) + " |")
        lines.append("|---" * (1 + len(runs)) + "|")
        row("request (or break due) to first paint (ms)", lambda x: str(x["first_paint_ms"]))
        for key, label in (("rss", "RSS"), ("pss", "PSS"), ("uss", "USS")):
            row(f"window tree {label} (MiB)", lambda x, key=key: mib(x["memory_kib"][key]))
        if "break" in w:
            row("window tree USS while readied, unseen (MiB)",
                lambda x: mib(x["readied_unseen"]["memory_kib"]["uss"]) if x.get("readied_unseen") else "–")
        row("processes while open", lambda x: ", ".join(x["processes"]))
        row("left 2 s after closing", lambda x: ", ".join(x["left_after_close"]["processes"]) or "none")
        row("agent RSS / USS after closing (MiB)", lambda x: f"{mib(x['left_after_close']['agent_memory_kib']['rss'])} / {mib(x['left_after_close']['agent_memory_kib']['uss'])}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle", type=int, default=120, help="seconds of each activity span")
    parser.add_argument("--only", nargs="*", choices=list(PROGRAMS), default=list(PROGRAMS))
    parser.add_argument("--bin-dir", default=str(ROOT / "target/release"))
    parser.add_argument("--out", default=str(ROOT / "bench/results"))
    args = parser.parse_args()
    bin_dir = Path(args.bin_dir).resolve()
    results = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "kernel": platform.release(),
            "os": Path("/etc/os-release").read_text().split('PRETTY_NAME="')[1].split('"')[0]
            if Path("/etc/os-release").exists() else "?",
        },
        "idle_span_s": args.idle,
        "programs": {},
    }
    for name in args.only:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        desktop = Desktop(name)
        try:
            proc, result = measure(desktop, PROGRAMS[name](bin_dir), args.idle, name)
            result["version"] = version(name, bin_dir)
            if name == "limber":
                result["window"] = limber_window(desktop, proc, bin_dir)
            results["programs"][name] = result
        finally:
            desktop.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    versions = ", ".join(f"{n} {r['version']}" for n, r in results["programs"].items())
    m = results["machine"]
    md = (f"Measured {results['date'][:10]} on {m['os']}, {m['cpus']} CPUs, {m['memory_gib']} GiB, "
          f"Xvfb with xfce4-panel's status tray, openbox and "
          f"{'a PulseAudio null sink' if SOUND_SERVER else 'no sound server'}; spans of {args.idle} s "
          f"({versions}).\n\n" + table(results) + "\n")
    (out / "latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
