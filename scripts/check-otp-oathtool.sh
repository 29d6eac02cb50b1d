#!/usr/bin/env bash
# Checks our HOTP and TOTP codes (libs/protocol) against Debian's oathtool, an implementation that
# shares no code with ours: every algorithm (sha1, sha256, sha512) and digit count (6, 7, 8), HOTP
# at several counters and TOTP at several times and periods, with the RFC seeds and fresh random
# keys. Installs oathtool when it is missing. Needs libs/protocol built with its test classes
# (`mvn verify`, or `mvn -DskipTests package`); builds the module itself when they are missing.
# Exits non-zero and prints every difference on any mismatch. Run from anywhere.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v oathtool >/dev/null 2>&1; then
  echo "oathtool missing: installing it" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq oathtool >/dev/null
fi

classes="libs/protocol/target/classes:libs/secrets/target/classes"
test_classes="libs/protocol/target/test-classes"
if [ ! -f "$test_classes/org/countersign/protocol/OtpCli.class" ]; then
  echo "libs/protocol is not built: building it" >&2
  # The lock keeps this from racing another Maven build in the same working tree.
  if command -v flock >/dev/null 2>&1; then
    flock /tmp/countersign-maven.lock mvn -B -q -pl libs/protocol -am -DskipTests package
  else
    mvn -B -q -pl libs/protocol -am -DskipTests package
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

hex_ascii() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# RFC 6238 Appendix A seeds, the K_otp lengths of protocol.md (fresh each run), and an 80-bit key
# such as many imported soft tokens carry.
declare -A rfc_seed=(
  [sha1]="$(hex_ascii 12345678901234567890)"
  [sha256]="$(hex_ascii 12345678901234567890123456789012)"
  [sha512]="$(hex_ascii 1234567890123456789012345678901234567890123456789012345678901234)"
)
declare -A key_length=([sha1]=20 [sha256]=32 [sha512]=64)
counters="0 1 2 9 10 255 256 65535 1000000 4294967295 4294967296 9007199254740991"
now="$(date +%s)"
times="0 1 29 30 59 60 1111111109 1111111111 1234567890 2000000000 20000000000 $now"
periods="30 60 45"

: > "$work/cases"
: > "$work/expected"
for alg in sha1 sha256 sha512; do
  upper="${alg^^}"
  for key in "${rfc_seed[$alg]}" "$(random_hex "${key_length[$alg]}")" "$(random_hex 10)"; do
    for digits in 6 7 8; do
      for counter in $counters; do
        echo "hotp $alg $digits $counter $key" >> "$work/cases"
        if [ "$alg" = sha1 ]; then
          oathtool --hotp --digits="$digits" --counter="$counter" "$key" >> "$work/expected"
        else
          # oathtool's --hotp is SHA1 only. TOTP with T0 = 0 and a 1-second step has T = the
          # Unix time, so it is HOTP-SHA256/512 at that counter: RFC 6238's generalisation.
          oathtool --totp="$upper" --time-step-size=1s --now="@$counter" --digits="$digits" "$key" >> "$work/expected"
        fi
      done
      for period in $periods; do
        for time in $times; do
          echo "totp $alg $digits $period $time $key" >> "$work/cases"
          oathtool --totp="$upper" --time-step-size="${period}s" --now="@$time" --digits="$digits" "$key" >> "$work/expected"
        done
      done
    done
  done
done

java -cp "$classes:$test_classes" org.countersign.protocol.OtpCli < "$work/cases" > "$work/ours"

total="$(wc -l < "$work/cases")"
if [ "$(wc -l < "$work/expected")" != "$total" ] || [ "$(wc -l < "$work/ours")" != "$total" ]; then
  echo "FAIL: $total cases, but oathtool gave $(wc -l < "$work/expected") codes and we gave $(wc -l < "$work/ours")" >&2
  exit 1
fi

failed=0
while IFS=$'\t' read -r case expected ours; do
  if [ "$expected" != "$ours" ]; then
    echo "FAIL $case: oathtool $expected, ours $ours" >&2
    failed=$((failed + 1))
  fi
done < <(paste "$work/cases" "$work/expected" "$work/ours")

hotp_count="$(grep -c '^hotp' "$work/cases")"
totp_count="$(grep -c '^totp' "$work/cases")"
echo "oathtool $(oathtool --version | head -1 | awk '{print $NF}'): $((total - failed)) of $total codes agree ($hotp_count HOTP, $totp_count TOTP; sha1/sha256/sha512, 6/7/8 digits)"
[ "$failed" -eq 0 ]
