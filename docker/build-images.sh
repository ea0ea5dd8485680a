#!/usr/bin/env bash
# Builds the XORB images with BuildKit: apps/<app>/Dockerfile, one target at a time,
# tagged <prefix>/<app>:<target> (default prefix: xorb).
#
# Usage: docker/build-images.sh [--apps "api orchestrator worker"]
#                               [--targets "production development testing"]
#                               [--context DIR] [--log FILE] [--quiet]
# Env:   DOCKER_HOST          the engine (scripts/services.sh: unix://.services/docker.sock)
#        XORB_IMAGE_PREFIX    image name prefix (default: xorb)
#        XORB_BUILD_CA        CA bundle handed to npm as the BuildKit secret `ca` (default: the
#                             system bundle when readable; "none" to build without it)
#        XORB_DOCKER          docker client (default: /usr/bin/docker, which has BuildKit)
#        XORB_BUILD_EXTRA_ARGS more `docker build` arguments, e.g. "--no-cache" or "--pull"
# Labels: VERSION (package.json version), VCS_REF (git HEAD, "-dirty" when the tree has
# changes), BUILD_DATE (the commit's date, so that rebuilds of a commit are identical),
# SOURCE_URL (git remote origin, when there is one).
# Prints one line per image: "built xorb/api:production in 12.3s (245 MB)".
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=docker/lib.sh
source "$HERE/lib.sh"
ROOT="$(xorb_repo_root)"

APPS="api orchestrator worker"
TARGETS="production development testing"
CONTEXT="$ROOT"
LOG=""
QUIET=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --apps) APPS="$2"; shift 2 ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --context) CONTEXT="$(cd "$2" && pwd)"; shift 2 ;;
    --log) LOG="$2"; shift 2 ;;
    --quiet) QUIET=1; shift ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

DOCKER="$(xorb_docker)"
PREFIX="${XORB_IMAGE_PREFIX:-xorb}"
export DOCKER_BUILDKIT=1

git_in() { git -C "$CONTEXT" "$@" 2>/dev/null; }
VERSION="$(sed -n 's/^  "version": *"\(.*\)",$/\1/p' "$CONTEXT/package.json" | head -n1)"
VCS_REF="$(git_in rev-parse HEAD || echo unknown)"
if [ "$VCS_REF" != unknown ] && [ -n "$(git_in status --porcelain --untracked-files=no)" ]; then
  VCS_REF="$VCS_REF-dirty"
fi
BUILD_DATE="$(git_in log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ || true)"
[ -n "$BUILD_DATE" ] || BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
SOURCE_URL="$(git_in config --get remote.origin.url || true)"

args=(--build-arg "VERSION=${VERSION:-0.0.0-dev}" --build-arg "VCS_REF=$VCS_REF"
      --build-arg "BUILD_DATE=$BUILD_DATE")
[ -n "$SOURCE_URL" ] && args+=(--build-arg "SOURCE_URL=$SOURCE_URL")
CA="${XORB_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}"
if [ "$CA" != none ] && [ -r "$CA" ]; then args+=(--secret "id=ca,src=$CA"); fi
# shellcheck disable=SC2206
[ -n "${XORB_BUILD_EXTRA_ARGS:-}" ] && args+=(${XORB_BUILD_EXTRA_ARGS})

"$DOCKER" version >/dev/null 2>&1 || { echo "build-images.sh: no Docker engine at ${DOCKER_HOST:-the default socket}" >&2; exit 1; }
base="$(xorb_base_image)"
"$DOCKER" image inspect "$base" >/dev/null 2>&1 ||
  echo "build-images.sh: base image $base is not local; the engine will try to pull it (on machines without a registry: docker/base-standin/build.sh)" >&2

[ -n "$LOG" ] && : > "$LOG"
rc=0
for app in $APPS; do
  for target in $TARGETS; do
    image="$PREFIX/$app:$target"
    start=$(date +%s.%N)
    out="$(mktemp)"
    if "$DOCKER" build --progress=plain -f "$CONTEXT/apps/$app/Dockerfile" --target "$target" \
         -t "$image" "${args[@]}" "$CONTEXT" >"$out" 2>&1; then
      secs="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
      size="$("$DOCKER" image inspect -f '{{ .Size }}' "$image")"
      printf 'built %s in %ss (%s MB)\n' "$image" "$secs" "$((size / 1000000))"
    else
      rc=1
      printf 'FAILED %s; first errors, then the end of the build output:\n' "$image" >&2
      grep -m 12 -E 'npm error (code|[A-Za-z`].*(sync|missing|Invalid|ERR))|error TS[0-9]+|ERROR:' "$out" >&2 || true
      printf -- '---\n' >&2
      tail -n 25 "$out" >&2
    fi
    if [ -n "$LOG" ]; then { echo "===== $image"; cat "$out"; } >> "$LOG"
    elif [ "$QUIET" = 0 ] && [ "$rc" = 0 ] && [ -n "${XORB_BUILD_VERBOSE:-}" ]; then cat "$out"; fi
    rm -f "$out"
  done
done
exit "$rc"
