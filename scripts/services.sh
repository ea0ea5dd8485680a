#!/usr/bin/env bash
# Provision and run, on loopback only, the real services the test suite needs:
#   PostgreSQL 15 + pgvector, Redis, the Temporal dev server, a private Docker engine.
#
# Usage: scripts/services.sh up|down|env|status|start <svc>|stop <svc>|restart <svc>
#   svc: postgres | redis | temporal | docker
#
# Environment:
#   XORB_SERVICES       services that `up` brings up (default: "postgres redis temporal docker")
#   XORB_SERVICES_DIR   state dir: data, PID files, logs, sockets (default: <repo>/.services)
#   XORB_CACHE_DIR      build/download cache (default: $HOME/.cache/xorb)
#   XORB_PG_PORT (55432) XORB_REDIS_PORT (56379) XORB_TEMPORAL_PORT (57233)
#   XORB_TEMPORAL_UI_PORT (58233)  XORB_DOCKER_DATA_ROOT (default: $XORB_CACHE_DIR/docker-data)
#   XORB_TEMPORAL_CLI_VERSION (default below)  XORB_PGVECTOR_VERSION (pick a cached build)
#   XORB_GO=/path/to/go (Go used to build the Temporal CLI; "fetch" forces the toolchain
#   download from the Go module proxy)  XORB_DOCKERD_EXTRA_ARGS  XORB_PG_DIR
#
# Everything listens on 127.0.0.1 (Docker: a unix socket only). Logs: <state>/<service>.log.
set -eEuo pipefail

# ---------------------------------------------------------------------------
# Pinned versions and defaults
# ---------------------------------------------------------------------------
# v1.9.1 does not build from the module proxy: its go.mod replaces
# github.com/temporalio/cli/cliext with ./cliext, a nested module that is neither
# in the module zip nor published on the proxy. v1.5.1 is the newest that builds.
TEMPORAL_CLI_VERSION="${XORB_TEMPORAL_CLI_VERSION:-v1.5.1}"
# Go toolchain fetched from the Go module proxy (module golang.org/toolchain) only
# when no usable `go` (>= 1.21, which can switch toolchains itself) is installed.
PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_SUPERUSER=postgres
PG_SUPERPASS=postgres
PG_APP_USER=xorb
PG_APP_PASS=xorb
PG_APP_DB=xorb
DOCKER_BIN=/usr/bin/docker     # Debian's client (BuildKit built in); /usr/local/bin/docker may differ
DOCKERD_BIN=/usr/sbin/dockerd   # Debian docker.io
ALL_SERVICES=(postgres redis temporal docker)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/go-toolchain.sh
source "$SCRIPT_DIR/lib/go-toolchain.sh"
SELF="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
_home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
STATE_DIR="${XORB_SERVICES_DIR:-$REPO_ROOT/.services}"
CACHE_DIR="${XORB_CACHE_DIR:-${_home:-/root}/.cache/xorb}"
case "$STATE_DIR" in /*) ;; *) STATE_DIR="$PWD/$STATE_DIR" ;; esac
case "$CACHE_DIR" in /*) ;; *) CACHE_DIR="$PWD/$CACHE_DIR" ;; esac

PG_PORT="${XORB_PG_PORT:-55432}"
REDIS_PORT="${XORB_REDIS_PORT:-56379}"
TEMPORAL_PORT="${XORB_TEMPORAL_PORT:-57233}"
TEMPORAL_UI_PORT="${XORB_TEMPORAL_UI_PORT:-58233}"
LOOPBACK=127.0.0.1

TEMPORAL_BIN="$CACHE_DIR/temporal-cli-${TEMPORAL_CLI_VERSION}/temporal"
DOCKER_SOCK="$STATE_DIR/docker.sock"
DOCKER_EXEC_ROOT="$STATE_DIR/docker-exec"
DOCKER_DATA_ROOT="${XORB_DOCKER_DATA_ROOT:-$CACHE_DIR/docker-data}"
REDIS_PIDFILE="$STATE_DIR/redis.pid"
TEMPORAL_PIDFILE="$STATE_DIR/temporal.pid"
DOCKER_PIDFILE="$STATE_DIR/docker.pid"
PG_PIDFILE="$STATE_DIR/postgres.pid"

IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
trap 'echo "services.sh: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
log() { printf '[services] %s\n' "$*" >&2; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# One-line reason naming the service, then the tail of its log.
FAILED=()
fail_service() { # <service> <reason>
  local svc="$1"; shift
  printf 'services.sh: %s failed: %s\n' "$svc" "$*" >&2
  local f="$STATE_DIR/$svc.log"
  if [ -s "$f" ]; then
    printf -- '--- last lines of %s ---\n' "$f" >&2
    tail -n 25 "$f" >&2 || true
    printf -- '---\n' >&2
  fi
  FAILED+=("$svc")
  return 1
}

as_root() {
  if [ "$IS_ROOT" = 1 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or passwordless sudo) to run: $*"; fi
}

valid_service() { case "$1" in postgres|redis|temporal|docker) return 0 ;; *) return 1 ;; esac; }

SERVICES_SELECTED=()
select_services() { # -> SERVICES_SELECTED (runs in the main shell so that `die` exits)
  local s
  SERVICES_SELECTED=()
  for s in ${XORB_SERVICES:-${ALL_SERVICES[*]}}; do
    valid_service "$s" || die "unknown service '$s' in XORB_SERVICES (postgres|redis|temporal|docker)"
    SERVICES_SELECTED+=("$s")
  done
  [ "${#SERVICES_SELECTED[@]}" -gt 0 ] || die "XORB_SERVICES selects no service"
}

pid_alive() { # <pid> <cmdline substring>
  local pid="$1" want="$2"
  local cmd
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$want"* ]]
}
read_pid() { [ -s "$1" ] && head -n1 "$1" | tr -dc '0-9' || true; }

wait_pid_gone() { # <pid> <seconds>
  local pid="$1" i=0 max=$(( $2 * 20 ))
  while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -ge "$max" ] && return 1
    sleep 0.05
  done
}

kill_pidfile() { # <pidfile> <cmd substring> <grace seconds>
  local pid; pid="$(read_pid "$1")"
  if pid_alive "$pid" "$2"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_pid_gone "$pid" "$3"; then
      kill -KILL "$pid" 2>/dev/null || true
      wait_pid_gone "$pid" 5 || true
    fi
  fi
  rm -f "$1"
}

# Serialise mutating commands (fd 9). Daemons are started with 9>&- so they never hold it.
take_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  flock -w 900 9 || die "could not lock $STATE_DIR/.lock"
}

# ---------------------------------------------------------------------------
# apt
# ---------------------------------------------------------------------------
APT_UPDATED=0
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_update() {
  [ "$APT_UPDATED" = 1 ] && return 0
  log "apt-get update"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq \
       >>"$STATE_DIR/apt.log" 2>&1 </dev/null; then
    tail -n 20 "$STATE_DIR/apt.log" >&2; return 1
  fi
  APT_UPDATED=1
}

apt_install() { # <pkg>...  installs only what is missing
  local p missing=()
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  apt_update
  log "apt-get install ${missing[*]}"
  # Keep package maintainer scripts from starting system-wide daemons (Debian's
  # postgres on 5432, redis on 6379, dockerd on /run/docker.sock) during install.
  local guard=0 rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    guard=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    install -y -qq --no-install-recommends "${missing[@]}" >>"$STATE_DIR/apt.log" 2>&1 </dev/null || rc=$?
  if [ "$guard" = 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  if [ "$rc" != 0 ]; then tail -n 20 "$STATE_DIR/apt.log" >&2; fi
  return "$rc"
}

# deb-src for trixie (pgvector's source package), with a pin so that no binary
# package from trixie can ever be installed.
TRIXIE_SOURCES=/etc/apt/sources.list.d/xorb-trixie-src.sources
TRIXIE_PREFS=/etc/apt/preferences.d/xorb-trixie-never-binary
ensure_trixie_src() {
  if [ ! -f "$TRIXIE_PREFS" ]; then
    as_root tee "$TRIXIE_PREFS" >/dev/null <<'EOF'
# Added by xorb scripts/services.sh: trixie is used for SOURCE packages only
# (pgvector). Never install a binary package from trixie.
Package: *
Pin: release n=trixie
Pin-Priority: -1
EOF
  fi
  if [ ! -f "$TRIXIE_SOURCES" ]; then
    as_root tee "$TRIXIE_SOURCES" >/dev/null <<'EOF'
# Added by xorb scripts/services.sh: source packages only (see preferences.d/xorb-trixie-never-binary).
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    APT_UPDATED=0   # the new source needs an index
  fi
}

# ---------------------------------------------------------------------------
# PostgreSQL + pgvector
# ---------------------------------------------------------------------------
if [ "$IS_ROOT" = 1 ]; then PG_OS_USER=postgres; else PG_OS_USER="$(id -un)"; fi

as_pg() {
  if [ "$IS_ROOT" = 1 ]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

# The postgres OS user must reach its data dir. If the state dir is not
# traversable for it (e.g. a clone under /root, mode 700), the cluster lives in
# /var/tmp/xorb-services-<hash of state dir>/postgres instead (logs stay in the state dir).
PG_DIR_CACHED=""
pg_dir() {
  if [ -z "$PG_DIR_CACHED" ]; then
    local d="$STATE_DIR"
    while [ ! -d "$d" ] && [ "$d" != / ]; do d="$(dirname "$d")"; done
    if [ -n "${XORB_PG_DIR:-}" ]; then PG_DIR_CACHED="$XORB_PG_DIR"
    elif [ "$IS_ROOT" = 0 ] || runuser -u "$PG_OS_USER" -- test -x "$d" 2>/dev/null; then
      PG_DIR_CACHED="$STATE_DIR/postgres"
    else
      PG_DIR_CACHED="/var/tmp/xorb-services-$(printf '%s' "$STATE_DIR" | cksum | cut -d' ' -f1)/postgres"
    fi
  fi
  echo "$PG_DIR_CACHED"
}

pgvector_installed() {
  [ -f "/usr/share/postgresql/$PG_MAJOR/extension/vector.control" ] &&
    [ -f "/usr/lib/postgresql/$PG_MAJOR/lib/vector.so" ]
}

pgvector_cached_dir() {
  local d
  if [ -n "${XORB_PGVECTOR_VERSION:-}" ]; then
    d="$CACHE_DIR/pgvector-${XORB_PGVECTOR_VERSION}-pg$PG_MAJOR"
    if [ -f "$d/.complete" ]; then echo "$d"; fi
  fi
  for d in "$CACHE_DIR"/pgvector-*-pg"$PG_MAJOR"; do
    if [ -f "$d/.complete" ]; then echo "$d"; fi
  done | sort -V | tail -n1
}

postgres_packages() {
  local pk=("postgresql-$PG_MAJOR")
  if ! pgvector_installed && [ -z "$(pgvector_cached_dir)" ]; then
    pk+=("postgresql-server-dev-$PG_MAJOR" make gcc libc6-dev dpkg-dev)
  fi
  printf '%s\n' "${pk[@]}"
}

build_pgvector() { # source package from trixie -> $CACHE_DIR/pgvector-<ver>-pg15/root/
  ensure_trixie_src
  if ! apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector'; then
    APT_UPDATED=0; apt_update
  fi
  local t0 tmp src ver dest
  t0="$(now)"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/xorb-pgvector.XXXXXX")"
  log "building pgvector from trixie's source package (in $tmp)"
  if [ "$IS_ROOT" = 1 ] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
  ( cd "$tmp" && apt-get source -qq pgvector ) >&2 ||
    { rm -rf "$tmp"; die "pgvector: 'apt-get source pgvector' failed"; }
  src="$(find "$tmp" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n1)"
  [ -n "$src" ] || { rm -rf "$tmp"; die "pgvector: no source dir after apt-get source"; }
  ver="$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$src/vector.control")"
  [ -n "$ver" ] || ver="${src##*/pgvector-}"
  # OPTFLAGS="": no -march=native, so the cached build runs on any x86-64 CPU.
  # with_llvm=no: no JIT bitcode (would need clang); irrelevant for tests.
  local mk=(PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS= with_llvm=no)
  if ! { make -C "$src" -j"$(nproc)" "${mk[@]}" &&
         make -C "$src" "${mk[@]}" install DESTDIR="$tmp/stage"; } >"$tmp/build.log" 2>&1; then
    tail -n 30 "$tmp/build.log" >&2
    die "pgvector: build failed (log: $tmp/build.log)"
  fi
  dest="$CACHE_DIR/pgvector-$ver-pg$PG_MAJOR"
  rm -rf "$dest.tmp"; mkdir -p "$dest.tmp"
  cp -a "$tmp/stage" "$dest.tmp/root"
  cp "$src/debian/changelog" "$dest.tmp/debian-changelog" 2>/dev/null || true
  touch "$dest.tmp/.complete"
  rm -rf "$dest"; mv "$dest.tmp" "$dest"
  rm -rf "$tmp"
  log "pgvector $ver built and cached in $dest ($(elapsed "$t0")s)"
}

ensure_pgvector() {
  pgvector_installed && return 0
  local d; d="$(pgvector_cached_dir)"
  if [ -z "$d" ]; then build_pgvector; d="$(pgvector_cached_dir)"; fi
  [ -n "$d" ] || die "pgvector: no cached build found after building"
  log "installing pgvector from cache $d"
  as_root cp -a "$d/root/." /
}

pg_data() { echo "$(pg_dir)/data"; }

pg_running() {
  local pid; pid="$(read_pid "$(pg_data)/postmaster.pid" 2>/dev/null)"
  pid_alive "$pid" postgres
}

pg_psql() { # <user> <pass> <db> psql-args...
  local u="$1" p="$2" d="$3"; shift 3
  PGPASSWORD="$p" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$LOOPBACK" -p "$PG_PORT" -U "$u" -d "$d" "$@"
}

pg_init() {
  local dir data pw
  dir="$(pg_dir)"; data="$dir/data"
  [ -f "$data/PG_VERSION" ] && return 0
  log "initdb $data"
  mkdir -p "$dir"
  rm -rf "$data"
  [ "$IS_ROOT" = 1 ] && chown "$PG_OS_USER": "$dir"
  pw="$dir/.pwfile"
  printf '%s\n' "$PG_SUPERPASS" > "$pw"
  [ "$IS_ROOT" = 1 ] && chown "$PG_OS_USER": "$pw"
  chmod 600 "$pw"
  as_pg "$PG_BIN/initdb" -D "$data" -U "$PG_SUPERUSER" --pwfile="$pw" \
    --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 \
    >>"$STATE_DIR/postgres.log" 2>&1 9>&- || { rm -f "$pw"; fail_service postgres "initdb failed"; return 1; }
  rm -f "$pw"
  cat >>"$data/postgresql.conf" <<'EOF'

# --- xorb test settings (scripts/services.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 512MB  # as docker-compose.production.yml; the bench vector area (100k x 384, ~450 MB with its HNSW index) fits
logging_collector = off
log_min_messages = warning
EOF
  [ "$IS_ROOT" = 1 ] && chown "$PG_OS_USER": "$data/postgresql.conf"
  return 0
}

pg_bootstrap() {
  local marker; marker="$(pg_dir)/.bootstrapped"
  [ -f "$marker" ] && return 0
  pg_psql "$PG_SUPERUSER" "$PG_SUPERPASS" postgres >>"$STATE_DIR/postgres.log" 2>&1 <<EOF || return 1
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_USER') THEN
    CREATE ROLE $PG_APP_USER LOGIN CREATEDB PASSWORD '$PG_APP_PASS';
  END IF;
END \$\$;
\c template1
CREATE EXTENSION IF NOT EXISTS vector;
\c postgres
SELECT 'CREATE DATABASE $PG_APP_DB OWNER $PG_APP_USER'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_APP_DB') \gexec
\c $PG_APP_DB
CREATE EXTENSION IF NOT EXISTS vector;
EOF
  touch "$marker"
}

start_postgres() {
  pg_running && return 0
  [ -x "$PG_BIN/pg_ctl" ] || { fail_service postgres "$PG_BIN/pg_ctl missing (run 'up')"; return 1; }
  pgvector_installed || { fail_service postgres "pgvector not installed (run 'up')"; return 1; }
  local data; data="$(pg_data)"
  pg_init || return 1
  rm -f "$data/postmaster.pid"   # stale (process is gone, checked above)
  echo "== $(date -Is) start: postgres on $LOOPBACK:$PG_PORT ($data)" >>"$STATE_DIR/postgres.log"
  # pg_ctl without -l: the server inherits this root-opened log, so the log can
  # live in the state dir even when the postgres user could not write there.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$data" -w -t 60 \
       -o "-c port=$PG_PORT -c listen_addresses=$LOOPBACK" start \
       </dev/null >>"$STATE_DIR/postgres.log" 2>&1 9>&-; then
    fail_service postgres "pg_ctl start failed on $LOOPBACK:$PG_PORT"; return 1
  fi
  read_pid "$data/postmaster.pid" > "$PG_PIDFILE"
  wait_postgres
}

wait_postgres() {
  local i
  for i in $(seq 1 100); do
    "$PG_BIN/pg_isready" -q -t 3 -h "$LOOPBACK" -p "$PG_PORT" && break
    pg_running || { fail_service postgres "server exited during startup"; return 1; }
    sleep 0.1
  done
  pg_bootstrap || { fail_service postgres "bootstrap (role/db/extension) failed"; return 1; }
  pg_psql "$PG_APP_USER" "$PG_APP_PASS" "$PG_APP_DB" -tAc 'SELECT 1' >/dev/null 2>>"$STATE_DIR/postgres.log" ||
    { fail_service postgres "SELECT 1 as $PG_APP_USER on $LOOPBACK:$PG_PORT failed"; return 1; }
}

stop_postgres() {
  local data; data="$(pg_data)"
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop </dev/null >>"$STATE_DIR/postgres.log" 2>&1 9>&- || {
      local pid; pid="$(read_pid "$data/postmaster.pid")"
      [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null || true
    }
  fi
  rm -f "$PG_PIDFILE"
}

# ---------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------
redis_running() { pid_alive "$(read_pid "$REDIS_PIDFILE")" redis-server; }

start_redis() {
  redis_running && return 0
  command -v redis-server >/dev/null || { fail_service redis "redis-server not installed (run 'up')"; return 1; }
  mkdir -p "$STATE_DIR/redis"
  rm -f "$REDIS_PIDFILE"
  echo "== $(date -Is) start: redis-server on $LOOPBACK:$REDIS_PORT" >>"$STATE_DIR/redis.log"
  if ! redis-server --bind "$LOOPBACK" --port "$REDIS_PORT" --protected-mode yes \
       --save '' --appendonly no --daemonize yes --pidfile "$REDIS_PIDFILE" \
       --logfile "$STATE_DIR/redis.log" --dir "$STATE_DIR/redis" \
       </dev/null >>"$STATE_DIR/redis.log" 2>&1 9>&-; then
    fail_service redis "redis-server failed to start on $LOOPBACK:$REDIS_PORT"; return 1
  fi
  local i
  for i in $(seq 1 100); do
    redis_running && [ "$(timeout 3 redis-cli -h "$LOOPBACK" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
    # the daemonized server writes its pidfile once up and exits on errors (e.g. port in use)
    if [ "$i" -ge 20 ] && ! redis_running; then
      fail_service redis "redis-server exited during startup on $LOOPBACK:$REDIS_PORT"; return 1
    fi
    sleep 0.1
  done
  fail_service redis "no PONG from $LOOPBACK:$REDIS_PORT within 10s"
}

stop_redis() { kill_pidfile "$REDIS_PIDFILE" redis-server 10; }

# ---------------------------------------------------------------------------
# Temporal dev server (CLI built from the Go module)
# ---------------------------------------------------------------------------

# Runs in its own bash process (see build_temporal) so that `set -e` applies.
internal_fetch_go() { # the toolchain, as the Go module golang.org/toolchain, from the Go module proxy
  local proxy="${GOPROXY:-https://proxy.golang.org}" mod dest tmp
  proxy="${proxy%%[,|]*}"
  case "$proxy" in direct|off|"") proxy=https://proxy.golang.org ;; esac
  mod="v0.0.1-$GO_FALLBACK_VERSION.linux-amd64"
  dest="$CACHE_DIR/$GO_FALLBACK_VERSION"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/xorb-go.XXXXXX")"
  trap 'rm -rf "${tmp:-}"' EXIT
  echo "== fetching Go toolchain $GO_FALLBACK_VERSION from $proxy"
  curl -fsSL --retry 3 -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/$mod.zip"
  unzip -q "$tmp/go.zip" -d "$tmp/x"
  chmod -R a+rX,u+w "$tmp/x"
  chmod a+x "$tmp/x/golang.org/toolchain@$mod"/bin/* "$tmp/x/golang.org/toolchain@$mod"/pkg/tool/*/*
  rm -rf "$dest"; mkdir -p "$dest"
  mv "$tmp/x/golang.org/toolchain@$mod" "$dest/go"
}

internal_build_temporal() {
  local go dir tmp
  go="$(find_go)" || { internal_fetch_go; go="$(find_go)"; }
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/xorb-temporal.XXXXXX")"
  trap 'rm -rf "${tmp:-}"' EXIT
  echo "== $(date -Is) building temporal CLI $TEMPORAL_CLI_VERSION with $go ($("$go" env GOVERSION))"
  cd "$tmp"
  # `go install` refuses modules whose go.mod has replace directives (some CLI
  # versions have them), so download the module and build inside it.
  dir="$(GOFLAGS='' GOTOOLCHAIN=auto "$go" mod download -json "github.com/temporalio/cli@$TEMPORAL_CLI_VERSION" |
         sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "go mod download reported no Dir"; exit 1; }
  # The module cache is read-only: build in a writable copy (go.sum may get updated).
  cp -r "$dir" "$tmp/src"
  chmod -R u+w "$tmp/src"
  cd "$tmp/src"
  mkdir -p "$(dirname "$TEMPORAL_BIN")"
  GOTOOLCHAIN=auto GOFLAGS="-mod=mod -buildvcs=false" "$go" build -trimpath \
    -ldflags "-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION#v}" \
    -o "$TEMPORAL_BIN.tmp" ./cmd/temporal
  "$TEMPORAL_BIN.tmp" --version
  mv "$TEMPORAL_BIN.tmp" "$TEMPORAL_BIN"
  echo "== $(date -Is) built $TEMPORAL_BIN"
}

build_temporal() { # -> $TEMPORAL_BIN; output in <state>/temporal-build.log
  [ -x "$TEMPORAL_BIN" ] && return 0
  local t0; t0="$(now)"
  if "$BASH" "$SELF" __build-temporal >>"$STATE_DIR/temporal-build.log" 2>&1 </dev/null 9>&-; then
    log "temporal CLI $TEMPORAL_CLI_VERSION built in $(elapsed "$t0")s -> $TEMPORAL_BIN"
  else
    return 1
  fi
}

temporal_running() { pid_alive "$(read_pid "$TEMPORAL_PIDFILE")" "start-dev"; }

temporal_cli() { timeout 10 "$TEMPORAL_BIN" "$@" --address "$LOOPBACK:$TEMPORAL_PORT" --command-timeout 5s; }

start_temporal() {
  temporal_running && return 0
  [ -x "$TEMPORAL_BIN" ] || { fail_service temporal "CLI not built at $TEMPORAL_BIN (run 'up')"; return 1; }
  local args=(server start-dev --ip "$LOOPBACK" --port "$TEMPORAL_PORT"
              --ui-ip "$LOOPBACK" --ui-port "$TEMPORAL_UI_PORT"
              --db-filename "$STATE_DIR/temporal.db" --log-level warn)
  if [ -n "${XORB_TEMPORAL_HTTP_PORT:-}" ]; then args+=(--http-port "$XORB_TEMPORAL_HTTP_PORT"); fi
  if [ -n "${XORB_TEMPORAL_METRICS_PORT:-}" ]; then args+=(--metrics-port "$XORB_TEMPORAL_METRICS_PORT"); fi
  echo "== $(date -Is) start: temporal ${args[*]}" >>"$STATE_DIR/temporal.log"
  setsid "$TEMPORAL_BIN" "${args[@]}" </dev/null >>"$STATE_DIR/temporal.log" 2>&1 9>&- &
  echo $! > "$TEMPORAL_PIDFILE"
  local i
  for i in $(seq 1 600); do
    temporal_running || { fail_service temporal "dev server exited during startup"; return 1; }
    if temporal_cli operator cluster health >/dev/null 2>&1 &&
       temporal_cli operator namespace describe -n default >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  fail_service temporal "not serving namespace 'default' on $LOOPBACK:$TEMPORAL_PORT within 60s"
}

stop_temporal() { kill_pidfile "$TEMPORAL_PIDFILE" start-dev 15; }

# ---------------------------------------------------------------------------
# Docker engine (private dockerd)
# ---------------------------------------------------------------------------
docker_running() { pid_alive "$(read_pid "$DOCKER_PIDFILE")" dockerd; }

start_docker() {
  docker_running && return 0
  [ -x "$DOCKERD_BIN" ] || { fail_service docker "$DOCKERD_BIN not installed (run 'up')"; return 1; }
  mkdir -p "$DOCKER_EXEC_ROOT" "$DOCKER_DATA_ROOT"
  rm -f "$DOCKER_PIDFILE" "$DOCKER_SOCK"
  local args=(--data-root "$DOCKER_DATA_ROOT" --exec-root "$DOCKER_EXEC_ROOT"
              --pidfile "$DOCKER_PIDFILE" -H "unix://$DOCKER_SOCK" --shutdown-timeout 3)
  # shellcheck disable=SC2206
  [ -n "${XORB_DOCKERD_EXTRA_ARGS:-}" ] && args+=(${XORB_DOCKERD_EXTRA_ARGS})
  echo "== $(date -Is) start: dockerd ${args[*]}" >>"$STATE_DIR/docker.log"
  setsid "$DOCKERD_BIN" "${args[@]}" </dev/null >>"$STATE_DIR/docker.log" 2>&1 9>&- &
  local pid=$! i
  for i in $(seq 1 300); do
    if [ ! -d "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
      fail_service docker "dockerd exited during startup (nested-container restrictions? see log)"; return 1
    fi
    if [ -S "$DOCKER_SOCK" ] && DOCKER_HOST="unix://$DOCKER_SOCK" timeout 10 "$DOCKER_BIN" version >/dev/null 2>&1; then
      echo "$pid" > "$DOCKER_PIDFILE"
      return 0
    fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  fail_service docker "no answer on unix://$DOCKER_SOCK within 30s"
}

stop_docker() { kill_pidfile "$DOCKER_PIDFILE" dockerd 20; rm -f "$DOCKER_SOCK"; }

# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------
svc_running() { case "$1" in postgres) pg_running ;; redis) redis_running ;; temporal) temporal_running ;; docker) docker_running ;; esac; }
svc_addr() {
  case "$1" in
    postgres) echo "$LOOPBACK:$PG_PORT" ;; redis) echo "$LOOPBACK:$REDIS_PORT" ;;
    temporal) echo "$LOOPBACK:$TEMPORAL_PORT" ;; docker) echo "unix://$DOCKER_SOCK" ;;
  esac
}
svc_pid() {
  case "$1" in
    postgres) read_pid "$(pg_data)/postmaster.pid" ;; redis) read_pid "$REDIS_PIDFILE" ;;
    temporal) read_pid "$TEMPORAL_PIDFILE" ;; docker) read_pid "$DOCKER_PIDFILE" ;;
  esac
}

ensure_gitignore() {
  local gi="$REPO_ROOT/.gitignore"
  [ "$STATE_DIR" = "$REPO_ROOT/.services" ] || return 0
  grep -qxF '.services/' "$gi" 2>/dev/null && return 0
  if [ -s "$gi" ] && [ -n "$(tail -c1 "$gi")" ]; then echo >> "$gi"; fi
  echo '.services/' >> "$gi"
}

cmd_up() {
  local t0 svc services=() pk=() build_pid=""
  t0="$(now)"
  select_services
  services=("${SERVICES_SELECTED[@]}")
  take_lock
  ensure_gitignore || true
  mkdir -p "$CACHE_DIR"
  : >>"$STATE_DIR/.keep"

  local want_pg=0 want_redis=0 want_temporal=0 want_docker=0
  for svc in "${services[@]}"; do
    svc_running "$svc" && continue
    case "$svc" in postgres) want_pg=1 ;; redis) want_redis=1 ;; temporal) want_temporal=1 ;; docker) want_docker=1 ;; esac
  done

  # 1. Temporal CLI build, in the background while apt runs (it takes minutes cold).
  if [ "$want_temporal" = 1 ] && [ ! -x "$TEMPORAL_BIN" ]; then
    if ! find_go >/dev/null; then
      command -v curl >/dev/null || pk+=(curl ca-certificates)
      command -v unzip >/dev/null || pk+=(unzip)
    fi
    if [ "${#pk[@]}" -eq 0 ]; then
      log "building temporal CLI $TEMPORAL_CLI_VERSION in the background (log: $STATE_DIR/temporal-build.log)"
      build_temporal & build_pid=$!
    fi
  fi

  # 2. Debian packages, in one apt transaction.
  [ "$want_pg" = 1 ] && mapfile -t -O "${#pk[@]}" pk < <(postgres_packages)
  [ "$want_redis" = 1 ] && pk+=(redis-server)
  [ "$want_docker" = 1 ] && pk+=(docker.io)
  if [ "$want_pg" = 1 ] && ! pgvector_installed && [ -z "$(pgvector_cached_dir)" ]; then
    ensure_trixie_src
  fi
  local apt_ok=1
  if [ "${#pk[@]}" -gt 0 ]; then apt_install "${pk[@]}" || apt_ok=0; fi
  if [ "$apt_ok" = 0 ]; then
    [ -n "$build_pid" ] && { kill "$build_pid" 2>/dev/null || true; wait "$build_pid" 2>/dev/null || true; }
    die "apt-get install ${pk[*]} failed"
  fi
  if [ "$want_pg" = 1 ]; then
    ensure_pgvector
    PG_DIR_CACHED=""; pg_dir >/dev/null   # the postgres user may only exist now
  fi

  # 3. Start what does not need the Temporal build, then wait for the build.
  local rc=0
  if [ "$want_pg" = 1 ]; then start_postgres || rc=1; fi
  if [ "$want_redis" = 1 ]; then start_redis || rc=1; fi
  if [ "$want_docker" = 1 ]; then start_docker || rc=1; fi
  if [ "$want_temporal" = 1 ]; then
    local built=1
    if [ -n "$build_pid" ]; then wait "$build_pid" || built=0
    elif [ ! -x "$TEMPORAL_BIN" ]; then build_temporal || built=0; fi
    if [ "$built" = 0 ] || [ ! -x "$TEMPORAL_BIN" ]; then
      printf 'services.sh: temporal failed: building the CLI %s failed\n' "$TEMPORAL_CLI_VERSION" >&2
      tail -n 25 "$STATE_DIR/temporal-build.log" >&2 || true
      FAILED+=(temporal); rc=1
    else
      start_temporal || rc=1
    fi
  fi

  cmd_status_of "${services[@]}"
  if [ "$rc" != 0 ]; then
    printf 'services.sh: up failed for: %s\n' "${FAILED[*]}" >&2
    exit 1
  fi
  log "up: ${services[*]} ready in $(elapsed "$t0")s"
}

cmd_down() {
  take_lock
  stop_docker || true
  stop_temporal || true
  stop_redis || true
  stop_postgres || true
  cmd_status_of "${ALL_SERVICES[@]}"
}

cmd_start() {
  valid_service "${1:-}" || die "usage: $0 start postgres|redis|temporal|docker"
  take_lock
  "start_$1" || exit 1
}

cmd_stop() {
  valid_service "${1:-}" || die "usage: $0 stop postgres|redis|temporal|docker"
  take_lock
  "stop_$1"
}

cmd_status_of() {
  local s
  for s in "$@"; do
    if svc_running "$s"; then
      printf '%-9s running  pid=%s %s\n' "$s" "$(svc_pid "$s")" "$(svc_addr "$s")"
    else
      printf '%-9s stopped\n' "$s"
    fi
  done
}

cmd_env() {
  cat <<EOF
export XORB_TEST_DATABASE_URL=postgres://$PG_APP_USER:$PG_APP_PASS@$LOOPBACK:$PG_PORT/$PG_APP_DB
export XORB_TEST_PG_ADMIN_URL=postgres://$PG_SUPERUSER:$PG_SUPERPASS@$LOOPBACK:$PG_PORT/postgres
export XORB_TEST_REDIS_URL=redis://$LOOPBACK:$REDIS_PORT
export XORB_TEST_TEMPORAL_ADDRESS=$LOOPBACK:$TEMPORAL_PORT
export XORB_TEST_DOCKER_HOST=unix://$DOCKER_SOCK
EOF
}

usage() {
  cat >&2 <<EOF
usage: $0 <command>
  up                 install what is missing, start \$XORB_SERVICES (default: ${ALL_SERVICES[*]}), wait until ready
  down               stop everything started here (by PID files)
  env                print 'export XORB_TEST_*=...' lines (eval "\$($0 env)")
  status             one line per service: running/stopped
  start <service>    start one service (postgres|redis|temporal|docker); must have been set up by 'up'
  stop <service>     stop one service
  restart <service>  stop then start one service
  temporal-bin       print the path of the Temporal CLI binary 'up' builds (and caches)
EOF
}

main() {
  local cmd="${1:-}"; shift || true
  case "$cmd" in env|help|-h|--help|temporal-bin|__build-temporal) ;; *) pg_dir >/dev/null ;; esac  # cache it
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down ;;
    env) cmd_env ;;
    status) cmd_status_of "${ALL_SERVICES[@]}" ;;
    start) cmd_start "${1:-}" ;;
    stop) cmd_stop "${1:-}" ;;
    restart) valid_service "${1:-}" || die "usage: $0 restart <service>"; cmd_stop "$1"; cmd_start "$1" ;;
    temporal-bin) printf '%s\n' "$TEMPORAL_BIN"; [ -x "$TEMPORAL_BIN" ] || { echo "services.sh: $TEMPORAL_BIN is not built yet ('up' builds it)" >&2; exit 1; } ;;
    __build-temporal) internal_build_temporal ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
