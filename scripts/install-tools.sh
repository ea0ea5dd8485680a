#!/usr/bin/env bash
# Installs the tools that validate the compose stacks, nginx and monitoring configuration
# (nginx/tests, monitoring/tests, deploy/tests), idempotently, on Debian 12 (bookworm):
#   - nginx, prometheus (+ promtool) and openssl from Debian (daemons are not started);
#   - Docker Compose v2, built from its Go module github.com/docker/compose/v2, installed
#     as the `docker compose` CLI plugin (~/.docker/cli-plugins and
#     /usr/local/lib/docker/cli-plugins) and usable as a standalone `docker-compose`;
#   - a docker CLI with `docker stack config` (Swarm stack files), built from the Go module
#     github.com/docker/cli: Debian's docker.io 20.10 client does not have that command.
# Go builds are cached per version under $XORB_CACHE_DIR (default ~/.cache/xorb), so a
# second run takes about a second.
#
# Usage: scripts/install-tools.sh [install]   install what is missing (needs root or sudo -n)
#        scripts/install-tools.sh env         print `export XORB_*_BIN=...` lines for the tests
#        scripts/install-tools.sh status      one line per tool
# Environment:
#   XORB_CACHE_DIR              build cache (default: $HOME/.cache/xorb)
#   XORB_COMPOSE_VERSION        Compose v2 module version (default below)
#   XORB_DOCKER_CLI_VERSION     docker CLI module version (default below)
#   XORB_GO=/path/to/go         Go toolchain (default: go on PATH, /usr/local/go/bin/go, or a
#                               toolchain fetched from the Go module proxy)
#   XORB_INSTALL_CLI_PLUGIN=0   do not install the `docker compose` plugin (build/cache only)
set -eEuo pipefail

# v2.40.3 is the newest release of the github.com/docker/compose/v2 module path
# (later releases moved to .../compose/v5). It builds from the module proxy as is.
COMPOSE_VERSION="${XORB_COMPOSE_VERSION:-v2.40.3}"
# docker/cli has no go.mod (CalVer, "+incompatible"); its vendor.mod is used as go.mod.
# v28.5.1 requires a docker/docker pseudo-version the proxy does not serve; v28.5.2 builds.
DOCKER_CLI_VERSION="${XORB_DOCKER_CLI_VERSION:-v28.5.2}"
APT_PACKAGES=(nginx prometheus openssl ca-certificates shellcheck)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/go-toolchain.sh
source "$SCRIPT_DIR/lib/go-toolchain.sh"
SELF="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
_home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE_DIR="${XORB_CACHE_DIR:-${_home:-/root}/.cache/xorb}"
case "$CACHE_DIR" in /*) ;; *) CACHE_DIR="$PWD/$CACHE_DIR" ;; esac
LOG_DIR="$CACHE_DIR/logs"

COMPOSE_BIN="$CACHE_DIR/docker-compose-${COMPOSE_VERSION}/docker-compose"
DOCKER_CLI_BIN="$CACHE_DIR/docker-cli-${DOCKER_CLI_VERSION}/docker"
PLUGIN_DIRS=("${_home:-/root}/.docker/cli-plugins" /usr/local/lib/docker/cli-plugins)

IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
trap 'echo "install-tools.sh: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

log() { printf '[install-tools] %s\n' "$*" >&2; }
die() { printf 'install-tools.sh: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

as_root() {
  if [ "$IS_ROOT" = 1 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or passwordless sudo) to run: $*"; fi
}

# ---------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
  local p missing=()
  for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  mkdir -p "$LOG_DIR"
  local t0 guard=0 rc=0
  t0="$(now)"
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq \
    >>"$LOG_DIR/apt.log" 2>&1 </dev/null || { tail -n 20 "$LOG_DIR/apt.log" >&2; return 1; }
  # Keep maintainer scripts from starting Debian's nginx (port 80) and prometheus (9090).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    guard=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 </dev/null || rc=$?
  if [ "$guard" = 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  if [ "$rc" != 0 ]; then tail -n 20 "$LOG_DIR/apt.log" >&2; return "$rc"; fi
  log "apt packages installed in $(elapsed "$t0")s"
}

# ---------------------------------------------------------------------------
# Go builds (same approach as scripts/services.sh for the Temporal CLI)
# ---------------------------------------------------------------------------

fetch_go() { # the toolchain, as the Go module golang.org/toolchain, from the Go module proxy
  local proxy="${GOPROXY:-https://proxy.golang.org}" mod dest tmp
  proxy="${proxy%%[,|]*}"
  case "$proxy" in direct|off|"") proxy=https://proxy.golang.org ;; esac
  mod="v0.0.1-$GO_FALLBACK_VERSION.linux-amd64"
  dest="$CACHE_DIR/$GO_FALLBACK_VERSION"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/xorb-go.XXXXXX")"
  echo "== fetching Go toolchain $GO_FALLBACK_VERSION from $proxy"
  curl -fsSL --retry 3 -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/$mod.zip"
  unzip -q "$tmp/go.zip" -d "$tmp/x"
  chmod -R a+rX,u+w "$tmp/x"
  chmod a+x "$tmp/x/golang.org/toolchain@$mod"/bin/* "$tmp/x/golang.org/toolchain@$mod"/pkg/tool/*/*
  rm -rf "$dest"; mkdir -p "$dest"
  mv "$tmp/x/golang.org/toolchain@$mod" "$dest/go"
  rm -rf "$tmp"
}

# Runs in its own bash process (see build_in_background) so that `set -e` applies.
internal_build() { # <compose|docker-cli>
  local what="$1" go module version pkg dest ldflags dir tmp
  case "$what" in
    compose)
      module=github.com/docker/compose/v2; version="$COMPOSE_VERSION"; pkg=./cmd; dest="$COMPOSE_BIN"
      ldflags="-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" ;;
    docker-cli)
      module=github.com/docker/cli; version="$DOCKER_CLI_VERSION+incompatible"; pkg=./cmd/docker
      dest="$DOCKER_CLI_BIN"
      ldflags="-s -w -X github.com/docker/cli/cli/version.Version=${DOCKER_CLI_VERSION#v}" ;;
    *) die "unknown build $what" ;;
  esac
  go="$(find_go)" || { fetch_go; go="$(find_go)"; }
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/xorb-$what.XXXXXX")"
  trap 'rm -rf "${tmp:-}"' EXIT
  echo "== $(date -Is) building $module@$version with $go ($("$go" env GOVERSION))"
  cd "$tmp"
  # `go install` refuses modules with replace directives or without go.mod: download the
  # module and build inside a writable copy of it.
  dir="$(GOFLAGS='' GOTOOLCHAIN=auto "$go" mod download -json "$module@$version" |
         sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then echo "go mod download reported no Dir"; exit 1; fi
  cp -r "$dir" "$tmp/src"
  chmod -R u+w "$tmp/src"
  cd "$tmp/src"
  if [ ! -f go.mod ] && [ -f vendor.mod ]; then cp vendor.mod go.mod; cp vendor.sum go.sum; fi
  mkdir -p "$(dirname "$dest")"
  GOTOOLCHAIN=auto GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 \
    "$go" build -trimpath -ldflags "$ldflags" -o "$dest.tmp" "$pkg"
  case "$what" in
    compose) "$dest.tmp" version ;;
    docker-cli) "$dest.tmp" --version && "$dest.tmp" stack config --help >/dev/null ;;
  esac
  mv "$dest.tmp" "$dest"
  echo "== $(date -Is) built $dest"
}

build_in_background() { # <compose|docker-cli> <dest> -> PID in BUILD_PID ("" when cached)
  BUILD_PID=""
  [ -x "$2" ] && return 0
  mkdir -p "$LOG_DIR"
  log "building $1 in the background (log: $LOG_DIR/build-$1.log)"
  "$BASH" "$SELF" __build "$1" >>"$LOG_DIR/build-$1.log" 2>&1 </dev/null &
  BUILD_PID=$!
}

wait_build() { # <name> <pid> <dest> <t0>
  [ -n "$2" ] || return 0
  if wait "$2" && [ -x "$3" ]; then
    log "$1 built in $(elapsed "$4")s -> $3"
  else
    tail -n 25 "$LOG_DIR/build-$1.log" >&2 || true
    die "building $1 failed (log: $LOG_DIR/build-$1.log)"
  fi
}

install_cli_plugin() {
  [ "${XORB_INSTALL_CLI_PLUGIN:-1}" = 1 ] || return 0
  local d target
  for d in "${PLUGIN_DIRS[@]}"; do
    target="$d/docker-compose"
    if [ -x "$target" ] && cmp -s "$COMPOSE_BIN" "$target"; then continue; fi
    if [ "$d" = /usr/local/lib/docker/cli-plugins ]; then
      if ! { as_root mkdir -p "$d" && as_root install -m 0755 "$COMPOSE_BIN" "$target"; }; then
        log "could not install $target (not root?): skipped"
        continue
      fi
    else
      mkdir -p "$d" && install -m 0755 "$COMPOSE_BIN" "$target"
    fi
    log "installed the docker compose plugin: $target"
  done
}

cmd_install() {
  local t0 compose_pid cli_pid
  t0="$(now)"
  mkdir -p "$CACHE_DIR"
  if ! find_go >/dev/null && { [ ! -x "$COMPOSE_BIN" ] || [ ! -x "$DOCKER_CLI_BIN" ]; }; then
    command -v curl >/dev/null && command -v unzip >/dev/null || APT_PACKAGES+=(curl unzip)
  fi
  # The Go builds run while apt works. The two builds share the module cache, so the
  # second starts once the first is done (two Go builds at once only compete for the CPUs).
  local t_build; t_build="$(now)"
  if [ ! -x "$COMPOSE_BIN" ] || [ ! -x "$DOCKER_CLI_BIN" ]; then
    if find_go >/dev/null; then
      (
        build_in_background compose "$COMPOSE_BIN"; wait_build compose "$BUILD_PID" "$COMPOSE_BIN" "$t_build"
        t2="$(now)"
        build_in_background docker-cli "$DOCKER_CLI_BIN"; wait_build docker-cli "$BUILD_PID" "$DOCKER_CLI_BIN" "$t2"
      ) & compose_pid=$!
    fi
  fi
  apt_install || die "apt-get install ${APT_PACKAGES[*]} failed"
  if [ -n "${compose_pid:-}" ]; then
    wait "$compose_pid" || die "the Go builds failed"
  elif [ ! -x "$COMPOSE_BIN" ] || [ ! -x "$DOCKER_CLI_BIN" ]; then
    build_in_background compose "$COMPOSE_BIN"; wait_build compose "$BUILD_PID" "$COMPOSE_BIN" "$t_build"
    cli_pid="$(now)"
    build_in_background docker-cli "$DOCKER_CLI_BIN"; wait_build docker-cli "$BUILD_PID" "$DOCKER_CLI_BIN" "$cli_pid"
  fi
  install_cli_plugin
  cmd_status
  log "tools ready in $(elapsed "$t0")s"
}

tool_paths() { # name=path lines of what the tests use
  printf 'XORB_NGINX_BIN=%s\n' "$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
  printf 'XORB_PROMETHEUS_BIN=%s\n' "$(command -v prometheus 2>/dev/null || echo /usr/bin/prometheus)"
  printf 'XORB_PROMTOOL_BIN=%s\n' "$(command -v promtool 2>/dev/null || echo /usr/bin/promtool)"
  printf 'XORB_OPENSSL_BIN=%s\n' "$(command -v openssl 2>/dev/null || echo /usr/bin/openssl)"
  printf 'XORB_COMPOSE_BIN=%s\n' "$COMPOSE_BIN"
  printf 'XORB_DOCKER_CLI_BIN=%s\n' "$DOCKER_CLI_BIN"
}

cmd_env() { tool_paths | sed 's/^/export /'; }

cmd_status() {
  local line name path state
  while IFS= read -r line; do
    name="${line%%=*}"; path="${line#*=}"
    if [ -x "$path" ]; then state="ok"; else state="missing"; fi
    printf '%-20s %-8s %s\n' "$name" "$state" "$path"
  done < <(tool_paths)
}

case "${1:-install}" in
  install) cmd_install ;;
  env) cmd_env ;;
  status) cmd_status ;;
  __build) internal_build "$2" ;;
  -h|--help|help) sed -n '2,24p' "$SELF" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (install | env | status)" ;;
esac
