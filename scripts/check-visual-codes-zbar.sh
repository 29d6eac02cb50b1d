#!/usr/bin/env bash
# Reads the visual-codes-service's images with Debian's zbarimg, a decoder that shares no code with
# ours or ZXing: QR codes as served, and colour codes channel by channel (protocol.md, "Colour code").
# Installs zbar-tools when zbarimg is missing. Run from anywhere: scripts/check-visual-codes-zbar.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v zbarimg >/dev/null 2>&1; then
  echo "zbarimg missing: installing zbar-tools" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq zbar-tools >/dev/null
fi

# The samples come from the running service in a @QuarkusTest (ZbarSamplesTest), which `mvn verify`
# runs; when they are missing (the script run on its own), build and run just that test.
samples="visual-codes-service/target/zbar-samples"
if [ ! -d "$samples" ] || [ -z "$(ls -A "$samples" 2>/dev/null)" ]; then
  mvn -B -q -pl visual-codes-service -am install -DskipTests
  log="$(mktemp)"
  if ! mvn -B -pl visual-codes-service test -Dtest=ZbarSamplesTest -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  rm -f "$log"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# zbarimg --raw -Sbinary prints the symbol's bytes unchanged, with no newline; stderr only has dbus noise.
read_symbol() {
  zbarimg -q --raw -Sbinary "$1" 2>/dev/null
}

checked=0
failed=0
for expected in "$samples"/*.txt; do
  name="$(basename "$expected" .txt)"
  got="$work/$name.bin"
  bad_prefix=0
  if [ -f "$samples/$name.png" ]; then
    read_symbol "$samples/$name.png" > "$got" || true
  else
    : > "$got"
    index=1
    for channel in r g b; do
      read_symbol "$samples/$name-$channel.png" > "$work/symbol" || true
      prefix="$(head -c 6 "$work/symbol")"
      if [ "$prefix" != "CC$index/3:" ]; then
        echo "FAIL $name: channel $channel does not start with CC$index/3:" >&2
        bad_prefix=1
      fi
      tail -c +7 "$work/symbol" >> "$got"
      index=$((index + 1))
    done
  fi
  checked=$((checked + 1))
  if [ "$bad_prefix" -eq 0 ] && cmp -s "$expected" "$got"; then
    echo "ok   $name"
  else
    echo "FAIL $name: zbarimg read something else" >&2
    failed=$((failed + 1))
  fi
done

if [ "$checked" -eq 0 ]; then
  echo "No samples in $samples" >&2
  exit 1
fi
echo "zbarimg: $((checked - failed)) of $checked visual codes read back"
[ "$failed" -eq 0 ]
