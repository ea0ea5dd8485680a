#!/usr/bin/env bash
# Builds the CNCF Distribution registry (github.com/distribution/distribution/v3, the
# `registry` of Docker Hub's registry image) from the Go module proxy, for the tests of
# tools/scripts/docker-build.sh: push, pull and build --push against a real registry on
# 127.0.0.1 (no image registry is reachable on the build machines). Cached per version
# under $XORB_CACHE_DIR (default ~/.cache/xorb): about 2 minutes once, then instant.
# Prints the binary's path on stdout.
#
# Usage: tools/docker-build/install-registry.sh
# Env:   XORB_CACHE_DIR, XORB_REGISTRY_VERSION (default below),
#        XORB_GO (Go toolchain; default: go on PATH, /usr/local/go/bin/go, or the toolchain
#        scripts/install-tools.sh fetched into $XORB_CACHE_DIR)
set -euo pipefail

VERSION="${XORB_REGISTRY_VERSION:-v3.0.0}"
_home="${HOME:-/root}"
CACHE_DIR="${XORB_CACHE_DIR:-$_home/.cache/xorb}"
DEST="$CACHE_DIR/registry-$VERSION/registry"

if [ -x "$DEST" ]; then echo "$DEST"; exit 0; fi

find_go() {
  local g
  for g in "${XORB_GO:-}" "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go "$CACHE_DIR"/go*/go/bin/go; do
    if [ -n "$g" ] && [ -x "$g" ] && "$g" env GOVERSION >/dev/null 2>&1; then echo "$g"; return 0; fi
  done
  return 1
}
go="$(find_go)" || { echo "install-registry.sh: no Go toolchain (run scripts/install-tools.sh, or set XORB_GO)" >&2; exit 1; }

mkdir -p "$CACHE_DIR/logs" "$(dirname "$DEST")"
log="$CACHE_DIR/logs/build-registry.log"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/xorb-registry.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
{
  echo "== $(date -Is) building github.com/distribution/distribution/v3@$VERSION with $go"
  cd "$tmp"
  dir="$(GOFLAGS='' GOTOOLCHAIN=auto "$go" mod download -json "github.com/distribution/distribution/v3@$VERSION" |
         sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "go mod download reported no Dir"; exit 1; }
  cp -r "$dir" "$tmp/src"
  chmod -R u+w "$tmp/src"
  cd "$tmp/src"
  GOTOOLCHAIN=auto GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 \
    "$go" build -trimpath -ldflags "-s -w" -o "$DEST.tmp" ./cmd/registry
  "$DEST.tmp" --version
  mv "$DEST.tmp" "$DEST"
} >>"$log" 2>&1 || { tail -n 20 "$log" >&2; echo "install-registry.sh: build failed (log: $log)" >&2; exit 1; }
echo "install-registry.sh: built $DEST in $((SECONDS - start))s" >&2
echo "$DEST"
