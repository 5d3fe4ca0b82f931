#!/usr/bin/env bash
# Builds Limber's Debian package from this checkout and prints the .deb's path as its last
# line. Installs what it needs when missing (build dependencies through scripts/setup.sh;
# dpkg-dev for the Depends line, librsvg2-bin to render the icons; cargo-deb from
# crates.io), idempotently and without questions.
#
# The release build is the one scripts/run.sh builds (`--bins -p limber -p limber-window`);
# set LIMBER_PACKAGE_NO_BUILD=1 to package a release build that is already there (the test
# command builds once for packaging and benchmarks).
#
# Install the result with: sudo apt install ./target/debian/limber_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "package: $*" >&2; }

bash scripts/setup.sh >&2

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for pkg in dpkg-dev librsvg2-bin; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=120 update -q >&2
  $sudo apt-get -o DPkg::Lock::Timeout=120 install -y -q --no-install-recommends "${missing[@]}" >&2
fi
if ! cargo deb --version >/dev/null 2>&1; then
  log "installing cargo-deb"
  cargo install cargo-deb --version 3.8.0 --locked >&2
fi

if [ "${LIMBER_PACKAGE_NO_BUILD:-0}" != 1 ]; then
  log "building the release binaries"
  cargo build --release --locked --bins -p limber -p limber-window >&2
fi
target_dir=${CARGO_TARGET_DIR:-target}
for bin in limber limber-window; do
  [ -x "$target_dir/release/$bin" ] || { log "no $target_dir/release/$bin: build it first"; exit 1; }
done

generated=packaging/generated
rm -rf "$generated"
log "writing the man pages and completions"
cargo run --quiet --locked -p limber --features gen --bin limber-gen -- "$generated" >&2
log "rendering the icons"
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "$generated/icons/${size}x${size}"
  # Up to 24 px, the drawing made for small sizes (strokes that stay two pixels wide).
  master=icons/limber.svg; [ "$size" -le 24 ] && master=icons/limber-small.svg
  rsvg-convert -w "$size" -h "$size" "$master" -o "$generated/icons/${size}x${size}/limber.png"
done

log "building the package"
deb=$(cargo deb -p limber --no-build --locked --strip 2>&2 | tail -n1)
[ -f "$deb" ] || { log "cargo deb made no package ($deb)"; exit 1; }

# Without dpkg-shlibdeps cargo-deb would leave Depends out and still succeed.
depends=$(dpkg-deb -f "$deb" Depends)
case "$depends" in
  *libwebkit2gtk-4.1-0*) ;;
  *) log "the package's Depends lacks WebKitGTK: '$depends'"; exit 1 ;;
esac
log "Depends: $depends"
log "size: $(stat -c %s "$deb") bytes ($(du -h "$deb" | cut -f1))"
echo "$deb"
