#!/usr/bin/env bash
# Screenshots Limber's tray icon in a real panel (xfce4-panel's status tray) on a light and
# a dark panel, in each state (active, paused, break due), at the panel's icon size. For
# looking at, not a pass/fail test: writes target/look/panel-<background>-<size>.png.
# Usage: tests/look/panel.sh [ICON_SIZE...]   (default 16 22)
# Needs xfce4-panel, Xvfb, dbus-daemon, ImageMagick, and a release build of limber.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@"); [ "${#sizes[@]}" -gt 0 ] || sizes=(16 22)
limber=$(readlink -f "${CARGO_TARGET_DIR:-target}/release/limber")
out=$(readlink -f target)/look
mkdir -p "$out"
work=$(mktemp -d /tmp/limber-look.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; sleep 0.3; rm -rf "$work"; }
trap cleanup EXIT

shot() { # background rgba (0-1), label, icon size
  local rgba=$1 label=$2 size=$3 home="$work/$2-$3"
  mkdir -p "$home/config/xfce4/xfconf/xfce-perchannel-xml" "$home/runtime"; chmod 700 "$home/runtime"
  local r g b; read -r r g b <<<"$rgba"
  cat >"$home/config/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="$((size + 10))"/>
      <property name="icon-size" type="uint" value="$size"/>
      <property name="background-style" type="uint" value="1"/>
      <property name="background-rgba" type="array">
        <value type="double" value="$r"/><value type="double" value="$g"/><value type="double" value="$b"/><value type="double" value="1"/>
      </property>
      <property name="plugin-ids" type="array"><value type="int" value="1"/><value type="int" value="2"/></property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="separator">
      <property name="expand" type="bool" value="true"/><property name="style" type="uint" value="0"/>
    </property>
    <property name="plugin-2" type="string" value="systray">
      <property name="icon-size" type="int" value="$size"/>
      <property name="square-icons" type="bool" value="false"/>
    </property>
  </property>
</channel>
XML
  Xvfb -displayfd 3 -screen 0 400x80x24 -nolisten tcp 3>"$home/display" 2>/dev/null &
  local xvfb=$!; pids+=($xvfb)
  for _ in $(seq 1 50); do [ -s "$home/display" ] && break; sleep 0.1; done
  local display=":$(head -n1 "$home/display")"
  # The bus starts xfconfd on demand with its own environment: it must see this config.
  env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    dbus-daemon --session --nofork --nopidfile --print-address=4 4>"$home/bus" 2>/dev/null &
  local bus=$!; pids+=($bus)
  for _ in $(seq 1 50); do [ -s "$home/bus" ] && break; sleep 0.1; done
  local env=(env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data"
    XDG_RUNTIME_DIR="$home/runtime" DISPLAY="$display" DBUS_SESSION_BUS_ADDRESS="$(head -n1 "$home/bus")"
    NO_AT_BRIDGE=1 LIMBER_WINDOW_BIN=/bin/true DBUS_SYSTEM_BUS_ADDRESS="unix:path=$home/none")
  "${env[@]}" xfce4-panel --disable-wm-check >"$home/panel.log" 2>&1 &
  pids+=($!)
  sleep 2
  "${env[@]}" "$limber" >"$home/agent.log" 2>&1 &
  pids+=($!)
  sleep 2
  local strip=()
  for state in active paused due; do
    case $state in
      paused) "${env[@]}" "$limber" pause 1h >/dev/null ;;
      due) "${env[@]}" "$limber" resume >/dev/null; "${env[@]}" "$limber" break >/dev/null ;;
    esac
    sleep 1.5
    DISPLAY="$display" import -window root "$home/full-$state.png"; cp "$home/full-$state.png" "$out/full-$label-$size-$state.png"
    DISPLAY="$display" import -window root -crop "64x$((size + 10))+336+0" +repage "$home/$state.png"
    strip+=("$home/$state.png")
  done
  convert "${strip[@]}" +append -scale 400% "$out/panel-$label-$size.png"
  echo "$out/panel-$label-$size.png"
  "${env[@]}" "$limber" quit >/dev/null || true
  kill "$xvfb" "$bus" 2>/dev/null || true
}

for size in "${sizes[@]}"; do
  shot "0.96 0.96 0.95" light "$size"
  shot "0.19 0.19 0.19" dark "$size"
done
