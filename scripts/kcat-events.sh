#!/usr/bin/env bash
# Reads Countersign's events as an outside consumer would, with Debian's kcat: key, ce_* headers and
# JSON data of each record. Installs kcat when it is missing.
#
#   scripts/kcat-events.sh [-b BOOTSTRAP] [-t TOPIC] [-e]
#     -b  bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or the embedded 127.0.0.1:19092)
#     -t  topic (default: countersign.registrations.v1); repeat for several
#     -e  exit at the end of the topic instead of following it
set -euo pipefail

bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:${COUNTERSIGN_KAFKA_PORT:-19092}}"
topics=()
follow=1
while getopts "b:t:e" opt; do
  case "$opt" in
    b) bootstrap="$OPTARG" ;;
    t) topics+=("$OPTARG") ;;
    e) follow=0 ;;
    *) echo "usage: $0 [-b BOOTSTRAP] [-t TOPIC ...] [-e]" >&2; exit 2 ;;
  esac
done
[ ${#topics[@]} -gt 0 ] || topics=(countersign.registrations.v1)

if ! command -v kcat >/dev/null 2>&1; then
  echo "Installing kcat (Debian package)..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat; } >&2
  else
    { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat; } >&2
  fi
fi

args=(-C -b "$bootstrap" -o beginning -q -u)
[ "$follow" -eq 1 ] || args+=(-e)
for topic in "${topics[@]}"; do args+=(-t "$topic"); done
exec kcat "${args[@]}" -f 'topic=%t partition=%p offset=%o key=%k\nheaders=%h\ndata=%s\n\n'
