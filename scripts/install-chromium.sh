#!/usr/bin/env bash
# Makes sure Debian's headless browser and its WebDriver are here, for the portal's browser tests
# (tools/launcher PortalIT): installs the packages chromium and chromium-driver when either binary is
# missing, as root or with sudo that needs no password. Nothing downloads a browser at run time.
# Usage: scripts/install-chromium.sh      prints the chromium and chromedriver paths, one a line.
set -euo pipefail

find_binary() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if ! find_binary chromium chromium-browser >/dev/null || ! find_binary chromedriver >/dev/null; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "chromium or chromedriver missing, and no root: install Debian's chromium and chromium-driver" >&2
      exit 2
    fi
  fi
  echo "chromium or chromedriver missing: installing the Debian packages chromium and chromium-driver" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
find_binary chromium chromium-browser
find_binary chromedriver
