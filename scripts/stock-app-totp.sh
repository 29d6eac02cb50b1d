#!/usr/bin/env bash
# Plays a stock authenticator app (Google Authenticator, Aegis, FreeOTP) with tools that share no code
# with Countersign: Debian's zbarimg reads the otpauth:// QR code from an image, and Debian's oathtool
# computes the TOTP an app would show for it. Installs zbar-tools and oathtool when missing.
# Usage: scripts/stock-app-totp.sh IMAGE [UNIX-TIME]    prints the code (and nothing else) on stdout.
set -euo pipefail

image="${1:?usage: stock-app-totp.sh IMAGE [UNIX-TIME]}"
at="${2:-}"

install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
  echo "$1 missing: installing the Debian package $2" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}
command -v zbarimg >/dev/null 2>&1 || install zbarimg zbar-tools
command -v oathtool >/dev/null 2>&1 || install oathtool oathtool

# zbarimg asks D-Bus for a session it does not need, and says so on every call where there is none.
uri="$(zbarimg --quiet --raw "$image" 2> >(grep -v -e '^Connection Error' -e '^Connection Null' >&2))"
case "$uri" in
  otpauth://totp/*) ;;
  *) echo "not an otpauth TOTP code: ${uri:0:40}" >&2; exit 3 ;;
esac
query="${uri#*\?}"
param() { printf '%s' "$query" | tr '&' '\n' | sed -n "s/^$1=//p" | head -n1; }
secret="$(param secret)"
digits="$(param digits)"; digits="${digits:-6}"
period="$(param period)"; period="${period:-30}"
algorithm="$(param algorithm | tr 'A-Z' 'a-z')"; algorithm="${algorithm:-sha1}"
[ -n "$secret" ] || { echo "the code holds no secret" >&2; exit 3; }

now=()
if [ -n "$at" ]; then now=(--now "@$at"); fi
oathtool --totp="$algorithm" --digits="$digits" --time-step-size="${period}s" --base32 "${now[@]}" "$secret"
