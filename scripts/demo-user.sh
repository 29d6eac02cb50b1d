#!/usr/bin/env bash
# The bank's part of the README's portal walkthrough, through the public APIs: gives a user two offline
# devices (licences <USER>-1 and <USER>-2, assigned to them) and activates the first one with the device
# simulator, as a bank's helpdesk would, so that the user can sign in to the portal and activate the second
# there. Needs the suite running (./countersign up --detach).
# Usage: scripts/demo-user.sh [USER]      (default bob; the domain is COUNTERSIGN_PORTAL_DOMAIN or example.com)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cs="$here/countersign"
user="${1:-bob}"
domain="${COUNTERSIGN_PORTAL_DOMAIN:-example.com}"
registration="http://127.0.0.1:${COUNTERSIGN_REGISTRATION_PORT:-8081}"
provisioning="http://127.0.0.1:${COUNTERSIGN_PROVISIONING_PORT:-8082}"
portal="http://localhost:${COUNTERSIGN_PORTAL_PORT:-8086}"
prefix="$(printf '%s' "$user" | tr -c 'A-Za-z0-9' '-' | tr 'a-z' 'A-Z' | cut -c1-60)"
first="$prefix-1"; second="$prefix-2"

H="Authorization: Bearer $("$cs" token --domain "$domain")"; J='Content-Type: application/json'
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
call() {  # METHOD URL [BODY]: prints the answer, fails on anything but 2xx
  local answer status
  answer="$(curl -s -w '\n%{http_code}' -X "$1" -H "$H" -H "$J" "$2" ${3:+-d "$3"})"
  status="${answer##*$'\n'}"
  case "$status" in 2*) printf '%s' "${answer%$'\n'*}" ;; *) echo "$1 $2 answered $status: ${answer%$'\n'*}" >&2; exit 1 ;; esac
}

call POST "$registration/api/v1/licences" "{\"licences\":[
  {\"serialNumber\":\"$first\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":1},
  {\"serialNumber\":\"$second\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\",\"maxActivations\":1}]}" >/dev/null
call PUT "$registration/api/v1/users/$user" >/dev/null
for serial in "$first" "$second"; do
  call PUT "$registration/api/v1/licences/$serial/assignment" "{\"userId\":\"$user\"}" >/dev/null
done

# The first device, activated offline: the simulator reads the two messages and shows the codes.
reg="$(call POST "$registration/api/v1/users/register" "{\"userId\":\"$user\",\"serialNumber\":\"$first\",\"activationType\":\"offline\"}")"
rid="$(printf '%s' "$reg" | field registrationId)"
code="$("$cs" device scan -q --profile "$first" "$(printf '%s' "$reg" | field activationMessage)")"
message2="$(call POST "$provisioning/api/v1/registrations/$rid/device" "{\"deviceCode\":\"$code\"}" | field activationMessage2)"
signature="$("$cs" device activate -q --profile "$first" "$message2")"
call POST "$provisioning/api/v1/registrations/$rid/activate" "{\"deviceCode\":\"$code\",\"signature\":\"$signature\"}" >/dev/null

cat <<TEXT
$user ($domain) has device $first, active, and licence $second to activate in the portal.
Open $portal and sign in as $user with the code that  ./countersign device otp --profile $first  shows.
TEXT
