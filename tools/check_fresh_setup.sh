#!/usr/bin/env bash
# Check that tools/setup_env.sh succeeds the first time on an empty cache,
# as on a fresh machine: a new, empty SSGN_CACHE_DIR holding only the mmcv
# wheel this machine already built (copied in to skip its ~27 minute
# build; with --build-mmcv it is built too), then one setup run, which must
# exit 0, write .ready and leave an environment that imports the stack.
#
#   tools/check_fresh_setup.sh [--build-mmcv] [--keep]
#
# The cache is a temporary folder (about 6 GB while it runs), removed at
# the end unless --keep.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=0 keep=0
for arg in "$@"; do
    case "$arg" in
        --build-mmcv) build=1 ;;
        --keep) keep=1 ;;
        *) echo "usage: $0 [--build-mmcv] [--keep]" >&2; exit 2 ;;
    esac
done
fresh=$(mktemp -d "${TMPDIR:-/tmp}/ssgn-fresh-cache.XXXXXX")
[ "$keep" = 1 ] || trap 'rm -rf "$fresh"' EXIT
if [ "$build" = 0 ]; then
    wheels=${SSGN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ssgn_plugin}/wheels
    if ! ls "$wheels"/mmcv-*/mmcv-*.whl >/dev/null 2>&1; then
        echo "no cached mmcv wheel under $wheels: run make setup once, or" \
             "pass --build-mmcv" >&2
        exit 2
    fi
    mkdir -p "$fresh/wheels"
    cp -r "$wheels"/mmcv-* "$fresh/wheels/"
fi
echo "[check_fresh_setup] empty cache $fresh$([ "$build" = 0 ] && echo ' + the mmcv wheel')"
start=$(date +%s)
env_dir=$(SSGN_CACHE_DIR=$fresh "$root/tools/setup_env.sh")
echo "[check_fresh_setup] setup exited 0 in $(( $(date +%s) - start )) s: $env_dir"
test -f "$env_dir/.ready"
"$env_dir/bin/python" -c 'import mmcv.ops, mmagic.models, mediapipe, torch; print("imports ok: torch", torch.__version__)'
# a second run is instant and prints the same folder
again=$(SSGN_CACHE_DIR=$fresh "$root/tools/setup_env.sh")
test "$again" = "$env_dir"
echo "[check_fresh_setup] ok"
