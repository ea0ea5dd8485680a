#!/usr/bin/env bash
# Builds LOCAL STAND-INS for the third-party images of docker-compose.development.yml, under
# their exact official names, on machines that cannot reach an image registry.
#
#   They are NOT the official images and are never used for users: users (and any machine
#   with a registry) get the official images. They exist so that the real development
#   compose file runs unchanged here (docker/ci/run-compose-smoke.sh). Each carries the
#   labels io.xorb.standin=true, io.xorb.standin.official-image, io.xorb.standin.recipe
#   (a hash of its recipe) and io.xorb.standin.differs (what differs from the official
#   image, in one line). An image of that name WITHOUT io.xorb.standin=true is taken to be
#   the official one and is never overwritten.
#
# Recipes (`--list` prints them with their status): Debian packages installed into a
# debootstrap minbase root filesystem (xorb_minbase_tar in docker/lib.sh, cached per suite)
# in a chroot, plus a small entrypoint of our own; the resulting root filesystem is cached
# at $XORB_CACHE_DIR/third-party-standins/<name>-<recipe hash>.tar, then imported and given
# the official image's configuration (user, entrypoint, command, volumes, ports, stop signal).
#   postgres    trixie postgresql-17 + postgresql-17-pgvector
#   redis       bookworm redis-server 7.0 (protected mode off, as upstream builds it)
#   temporal    the Temporal CLI that scripts/services.sh builds (services.sh temporal-bin),
#               with the glibc libraries it links, FROM-scratch style
#   nginx       trixie nginx 1.26 + busybox (wget), user nginx 101
#   prometheus  trixie prometheus 2.53 at /bin/prometheus + busybox (wget), user nobody
# Grafana and cAdvisor have none: neither is packaged by Debian, and cAdvisor's command
# module is not on the Go module proxy. Compose runs without them (the smoke test says so).
#
# Usage: docker/third-party-standins/build.sh [--force] [--list] [name...]
#   name...   postgres redis temporal nginx prometheus (default: all of them)
#   --force   rebuild the root filesystems (not only the image) even when cached
#   --list    one line per stand-in: name, official image, status, recipe, what differs
# Env:   DOCKER_HOST (the engine), XORB_CACHE_DIR (~/.cache/xorb), XORB_DEBIAN_MIRROR,
#        XORB_DOCKER (the docker client), XORB_TEMPORAL_BIN (default: services.sh temporal-bin)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=docker/lib.sh
source "$HERE/../lib.sh"
ROOT="$(xorb_repo_root)"
COMPOSE_FILE="$ROOT/docker-compose.development.yml"
ALL=(postgres redis temporal nginx prometheus)
NONE=(grafana cadvisor)

log() { printf '[third-party-standins] %s\n' "$*" >&2; }
die() { printf 'third-party-standins: %s\n' "$*" >&2; exit 1; }

FORCE=0
LIST=0
NAMES=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --list) LIST=1 ;;
    -h|--help) sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    *)
      case " ${ALL[*]} " in *" $arg "*) NAMES+=("$arg") ;;
        *) case " ${NONE[*]} " in
             *" $arg "*) echo "build.sh: $arg has no stand-in (see --list)" >&2; exit 2 ;;
             *) echo "build.sh: unknown stand-in $arg (${ALL[*]})" >&2; exit 2 ;;
           esac ;;
      esac ;;
  esac
done
[ "${#NAMES[@]}" -gt 0 ] || NAMES=("${ALL[@]}")

DOCKER="$(xorb_docker)"
MIRROR="$(xorb_debian_mirror)"
CACHE_ROOT="$(xorb_cache_dir)/third-party-standins"

# The image a service of the development compose file runs (its `image:` line).
compose_image() {
  awk -v svc="$1" '
    /^services:[[:space:]]*$/ { s = 1; next }
    s && /^[^[:space:]#]/ { s = 0 }
    s && /^  [A-Za-z0-9._-]+:/ { cur = $1; sub(/:$/, "", cur); next }
    s && cur == svc && /^    image:/ { print $2; exit }' "$COMPOSE_FILE"
}

# --- the recipes -------------------------------------------------------------------------
# Each stand-in: meta_<name> sets SUITE, PACKAGES, RECIPE_TEXT and DIFFERS;
# rootfs_<name> <root> prepares the chroot (before and after apt, see build_rootfs);
# config_<name> prints the Dockerfile lines of the official image's configuration.

# system_user <root> <name> <uid = gid> <home> [shell]: the official image's user and group.
system_user() {
  chroot "$1" groupadd -r --gid "$3" "$2"
  chroot "$1" useradd -r -g "$2" --uid "$3" --home-dir "$4" --shell "${5:-/usr/sbin/nologin}" "$2"
}

meta_postgres() {
  SUITE=trixie; PACKAGES="postgresql-17 postgresql-17-pgvector"
  RECIPE_TEXT="trixie minbase + postgresql-17 + postgresql-17-pgvector, user postgres 999, our docker-entrypoint.sh (POSTGRES_USER/PASSWORD/DB, *_FILE, POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, /docker-entrypoint-initdb.d), PGDATA /var/lib/postgresql/data, port 5432"
  DIFFERS="Debian trixie's PostgreSQL 17 and pgvector 0.8.0 packages instead of the PGDG builds on bookworm; LANG C.UTF-8 instead of en_US.utf8; our own short entrypoint (no gosu, no POSTGRES_INITDB_WALDIR, no *.sql.xz/zst init files)"
}
pre_postgres() { # the official image's uid/gid, and no cluster created by the package
  system_user "$1" postgres 999 /var/lib/postgresql /bin/bash
  mkdir -p "$1/etc/postgresql-common/createcluster.d" "$1/var/lib/postgresql"
  chroot "$1" chown postgres:postgres /var/lib/postgresql
  printf 'create_main_cluster = false\n' > "$1/etc/postgresql-common/createcluster.d/xorb-standin.conf"
}
post_postgres() {
  local root="$1"
  # Listen on every interface by default, as the official image does.
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$root/usr/share/postgresql/17/postgresql.conf.sample"
  grep -F "listen_addresses = '*'" "$root/usr/share/postgresql/17/postgresql.conf.sample" >/dev/null
  mkdir -p "$root/docker-entrypoint-initdb.d" "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
  chroot "$root" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  chmod 1777 "$root/var/lib/postgresql/data"; chmod 3777 "$root/var/run/postgresql"
  cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/bash
# XORB LOCAL STAND-IN entrypoint (docker/third-party-standins/build.sh): the behaviour of the
# official postgres image's entrypoint that compose files rely on, in a few lines.
set -Eeo pipefail
# file_env VAR [default]: VAR, or the content of the file VAR_FILE names, or the default.
file_env() {
  local var="$1" file_var="${1}_FILE" def="${2:-}" val
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "error: both $var and $file_var are set (but are exclusive)" >&2; exit 1
  fi
  val="$def"
  if [ -n "${!var:-}" ]; then val="${!var}"; elif [ -n "${!file_var:-}" ]; then val="$(< "${!file_var}")"; fi
  export "$var"="$val"; unset "$file_var"
}
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 00700 "$PGDATA" || :
  chmod 3777 /var/run/postgresql || :
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  auth="${POSTGRES_HOST_AUTH_METHOD:-}"
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
    echo 'error: database is uninitialized and superuser password is not specified.' >&2
    echo '  Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE), or POSTGRES_HOST_AUTH_METHOD=trust.' >&2
    exit 1
  fi
  mkdir -p "$PGDATA"; chmod 00700 "$PGDATA" || :
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as upstream
  if [ -n "$POSTGRES_PASSWORD" ]; then
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
  else
    initdb --username="$POSTGRES_USER" $POSTGRES_INITDB_ARGS
  fi
  printf '\nhost all all all %s\n' "${auth:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then echo "running $f"; "$f"; else echo "sourcing $f"; . "$f"; fi ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *) [ -e "$f" ] && echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  echo 'PostgreSQL init process complete; ready for start up.'
fi
exec "$@"
ENTRY
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
}
config_postgres() {
  # shellcheck disable=SC1003 # Dockerfile line continuations, written literally
  printf '%s\n' \
    'ENV LANG=C.UTF-8 PG_MAJOR=17 PGDATA=/var/lib/postgresql/data \' \
    '    PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'VOLUME /var/lib/postgresql/data' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' \
    'STOPSIGNAL SIGINT' \
    'EXPOSE 5432' \
    'CMD ["postgres"]'
}

meta_redis() {
  SUITE=bookworm; PACKAGES="redis-server"
  RECIPE_TEXT="bookworm minbase + redis-server (7.0), user redis 999, WORKDIR/VOLUME /data, entrypoint: redis-server [conf] --protected-mode no ARGS as the redis user"
  DIFFERS="Redis 7.0.15 (Debian bookworm) instead of 7.4; protected mode switched off by the entrypoint (upstream patches the default at build time); no gosu"
}
pre_redis() {
  system_user "$1" redis 999 /var/lib/redis
}
post_redis() {
  local root="$1"
  mkdir -p "$root/data"; chroot "$root" chown redis:redis /data
  cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
# XORB LOCAL STAND-IN entrypoint (docker/third-party-standins/build.sh), like the official
# redis image's: options or a .conf file run redis-server; as root, /data is handed to the
# redis user and the server drops to it. Protected mode is off unless the arguments say
# otherwise (upstream builds redis with that default; later arguments win).
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  if [ -n "${1:-}" ] && [ "${1#-}" = "$1" ]; then conf="$1"; shift; set -- redis-server "$conf" --protected-mode no "$@"
  else set -- redis-server --protected-mode no "$@"; fi
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' + 2>/dev/null || true
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
umask 0077
exec "$@"
ENTRY
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
}
config_redis() {
  printf '%s\n' \
    'VOLUME /data' 'WORKDIR /data' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' \
    'EXPOSE 6379' \
    'CMD ["redis-server"]'
}

temporal_bin() {
  if [ -n "${XORB_TEMPORAL_BIN:-}" ]; then printf '%s\n' "$XORB_TEMPORAL_BIN"
  else bash "$ROOT/scripts/services.sh" temporal-bin; fi
}
meta_temporal() {
  SUITE=bookworm; PACKAGES=""
  local bin sum="missing"
  bin="$(temporal_bin 2>/dev/null || true)"
  [ -n "$bin" ] && [ -x "$bin" ] && sum="$(sha256sum "$bin" | cut -c1-16)"
  RECIPE_TEXT="/temporal = the Temporal CLI built by scripts/services.sh (sha256 $sum) + the glibc libraries it links (bookworm minbase), ENTRYPOINT /temporal, user 1000"
  DIFFERS="the CLI built here from its Go module (same version, dynamically linked, with bookworm's glibc beside it) instead of the official static build; no CA certificates or tzdata"
}
# temporal is not a Debian root filesystem: /temporal and the libraries ldd names.
rootfs_temporal() {
  local root="$1" minbase="$2" bin lib
  bin="$(temporal_bin)" || die "no Temporal CLI: scripts/services.sh up builds it"
  [ -x "$bin" ] || die "no Temporal CLI at $bin: scripts/services.sh up builds it"
  local base="$root.base"; mkdir -p "$base" "$root/tmp" "$root/etc"
  tar -C "$base" -xf "$minbase"
  install -m 0755 "$bin" "$root/temporal"
  chmod 1777 "$root/tmp"
  while read -r lib; do
    [ -n "$lib" ] || continue
    [ -e "$base$lib" ] || die "the bookworm minbase has no $lib (needed by $bin)"
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$base$lib" "$root$lib"
  done < <(ldd "$bin" | grep -o '/[^ ]*' | sort -u)
  printf 'root:x:0:0:root:/root:/sbin/nologin\ntemporal:x:1000:1000::/home/temporal:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\ntemporal:x:1000:\n' > "$root/etc/group"
  rm -rf "$base"
  chroot "$root" /temporal --version >/dev/null || die "/temporal does not run in its root filesystem"
}
config_temporal() {
  printf '%s\n' \
    'USER 1000:1000' \
    'ENTRYPOINT ["/temporal"]' \
    'EXPOSE 7233 8233' \
    'CMD ["server", "start-dev", "--ip", "0.0.0.0"]'
}

meta_nginx() {
  SUITE=trixie; PACKAGES="nginx busybox"
  RECIPE_TEXT="trixie minbase + nginx (1.26) + busybox (wget), user nginx 101, /etc/nginx like upstream (nginx.conf, conf.d/, mime.types), logs to stdout/stderr, CMD nginx -g 'daemon off;', STOPSIGNAL SIGQUIT"
  DIFFERS="nginx 1.26 (Debian trixie, glibc) instead of 1.28 on Alpine (musl); busybox only for wget; no /docker-entrypoint.d scripts (templates, envsubst, IPv6 listen tuning)"
}
pre_nginx() {
  system_user "$1" nginx 101 /nonexistent
}
post_nginx() {
  local root="$1"
  ln -sf /bin/busybox "$root/usr/local/bin/wget"
  chroot "$root" /usr/local/bin/wget --help >/dev/null 2>&1 || die "busybox wget does not run"
  # Upstream's layout: nginx.conf including conf.d/*.conf, cache dirs owned by nginx,
  # logs to the container's stdout/stderr.
  rm -rf "$root/etc/nginx/sites-enabled" "$root/etc/nginx/sites-available" "$root/etc/nginx/modules-enabled" \
         "$root/var/www/html"
  mkdir -p "$root/etc/nginx/conf.d" "$root/var/cache/nginx" "$root/var/log/nginx" "$root/usr/share/nginx/html"
  cat > "$root/etc/nginx/nginx.conf" <<'CONF'
# XORB LOCAL STAND-IN of the official nginx image's nginx.conf (docker/third-party-standins).
user  nginx;
worker_processes  auto;
error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;
events {
    worker_connections  1024;
}
http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log  /var/log/nginx/access.log;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
CONF
  cat > "$root/etc/nginx/conf.d/default.conf" <<'CONF'
server {
    listen       80;
    server_name  localhost;
    location / {
        root   /usr/share/nginx/html;
        index  index.html;
    }
}
CONF
  printf '<!DOCTYPE html><title>nginx (XORB local stand-in)</title><p>nginx: local stand-in image.</p>\n' \
    > "$root/usr/share/nginx/html/index.html"
  chroot "$root" chown -R nginx:nginx /var/cache/nginx
  ln -sf /dev/stdout "$root/var/log/nginx/access.log"
  ln -sf /dev/stderr "$root/var/log/nginx/error.log"
  cat > "$root/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
# XORB LOCAL STAND-IN entrypoint (docker/third-party-standins/build.sh): runs the command
# (upstream's also runs /docker-entrypoint.d/*.sh first; this stand-in has none).
set -e
exec "$@"
ENTRY
  chmod 0755 "$root/docker-entrypoint.sh"
}
config_nginx() {
  printf '%s\n' \
    'ENTRYPOINT ["/docker-entrypoint.sh"]' \
    'EXPOSE 80' \
    'STOPSIGNAL SIGQUIT' \
    'CMD ["nginx", "-g", "daemon off;"]'
}

meta_prometheus() {
  SUITE=trixie; PACKAGES="prometheus busybox"
  RECIPE_TEXT="trixie minbase + prometheus (2.53) + busybox (wget), /bin/prometheus and /bin/promtool, /etc/prometheus/prometheus.yml, data /prometheus, user nobody, ENTRYPOINT /bin/prometheus"
  DIFFERS="Prometheus 2.53.3 (Debian trixie build) instead of 2.55.1 on busybox; Debian's build may lack the bundled React web UI (the HTTP API is the same); busybox only for wget"
}
post_prometheus() {
  local root="$1"
  ln -sf /bin/busybox "$root/usr/local/bin/wget"
  [ -x "$root/usr/bin/prometheus" ] || die "prometheus binary missing after install"
  [ -e "$root/bin/prometheus" ] || ln -s /usr/bin/prometheus "$root/bin/prometheus"
  [ -e "$root/bin/promtool" ] || ln -s /usr/bin/promtool "$root/bin/promtool"
  mkdir -p "$root/etc/prometheus" "$root/prometheus"
  cat > "$root/etc/prometheus/prometheus.yml" <<'CONF'
# XORB LOCAL STAND-IN default configuration (as the official image's: scrape itself).
global:
  scrape_interval: 15s
  evaluation_interval: 15s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['localhost:9090']
CONF
  chroot "$root" chown -R nobody:nogroup /etc/prometheus /prometheus
}
config_prometheus() {
  printf '%s\n' \
    'USER nobody' \
    'EXPOSE 9090' \
    'VOLUME ["/prometheus"]' \
    'WORKDIR /prometheus' \
    'ENTRYPOINT ["/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
}

none_reason() {
  case "$1" in
    grafana) echo "no stand-in: Grafana is neither packaged by Debian nor on npm" ;;
    cadvisor) echo "no stand-in: cAdvisor is not packaged by Debian and its cmd module is not on the Go module proxy" ;;
  esac
}

# --- building ----------------------------------------------------------------------------
recipe_hash() { # name -> 16 hex digits over everything that makes the stand-in
  local name="$1"
  "meta_$name"
  {
    echo "$name $SUITE $PACKAGES $MIRROR $RECIPE_TEXT $DIFFERS"
    for f in "pre_$name" "post_$name" "rootfs_$name" "config_$name" build_rootfs build_image system_user xorb_minbase_tar; do
      declare -f "$f" 2>/dev/null || true
    done
  } | sha256sum | cut -c1-16
}

image_label() { "$DOCKER" image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

ROOTFS_WORK=""
cleanup_rootfs() {
  [ -n "$ROOTFS_WORK" ] || return 0
  if mountpoint -q "$ROOTFS_WORK/rootfs/proc" 2>/dev/null; then umount -l "$ROOTFS_WORK/rootfs/proc" || true; fi
  rm -rf "$ROOTFS_WORK"
  ROOTFS_WORK=""
}
trap cleanup_rootfs EXIT

build_rootfs() { # name hash -> $CACHE_ROOT/<name>-<hash>.tar
  local name="$1" hash="$2" root minbase s=$SECONDS out="$CACHE_ROOT/$1-$2.tar"
  [ "$(id -u)" = 0 ] || die "building root filesystems needs root (chroot)"
  "meta_$name"
  minbase="$(xorb_minbase_tar "$SUITE")" || die "the $SUITE minbase root filesystem failed"
  ROOTFS_WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/xorb-3p-standin.XXXXXX")"
  root="$ROOTFS_WORK/rootfs"; mkdir -p "$root"
  if declare -F "rootfs_$name" >/dev/null; then
    "rootfs_$name" "$root" "$minbase"
  else
    tar -C "$root" --numeric-owner -xf "$minbase"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 0755 "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"
    if declare -F "pre_$name" >/dev/null; then "pre_$name" "$root"; fi
    log "$name: apt-get install $PACKAGES ($SUITE)"
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$ROOTFS_WORK/apt.log" 2>&1 ||
      { tail -n 20 "$ROOTFS_WORK/apt.log" >&2; die "$name: apt-get update failed"; }
    # shellcheck disable=SC2086 # a list of packages
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES \
      >>"$ROOTFS_WORK/apt.log" 2>&1 </dev/null ||
      { tail -n 30 "$ROOTFS_WORK/apt.log" >&2; die "$name: apt-get install $PACKAGES failed"; }
    if declare -F "post_$name" >/dev/null; then "post_$name" "$root"; fi
    chroot "$root" apt-get clean
    umount "$root/proc"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/apt "$root"/var/log/dpkg.log \
           "$root"/var/log/alternatives.log "$root/usr/sbin/policy-rc.d" "$root/etc/resolv.conf" "$root"/tmp/* \
           "$root"/var/cache/debconf/*-old
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  fi
  mkdir -p "$root/usr/local/share/xorb-standin"
  "meta_$name"
  printf 'This image is a LOCAL STAND-IN for the official %s, built by docker/third-party-standins/build.sh\n(recipe %s: %s) on a machine without an image registry. It is never published or used for users.\nDiffers: %s\n' \
    "$(compose_image "$name")" "$hash" "$RECIPE_TEXT" "$DIFFERS" > "$root/usr/local/share/xorb-standin/README"
  mkdir -p "$CACHE_ROOT"
  tar -C "$root" --numeric-owner -cf "$out.tmp" . && mv -f "$out.tmp" "$out"
  cleanup_rootfs
  # Keep the newest two cached recipes of each stand-in.
  # shellcheck disable=SC2012
  ls -1t "$CACHE_ROOT/$name"-*.tar 2>/dev/null | tail -n +3 | xargs -r rm -f
  log "$name: root filesystem built in $((SECONDS - s))s ($(( $(stat -c %s "$out") / 1000000 )) MB)"
}

build_image() { # name hash image
  local name="$1" hash="$2" image="$3" tmp="xorb-standin/$1-rootfs:$2"
  "meta_$name"
  "$DOCKER" import "$CACHE_ROOT/$name-$hash.tar" "$tmp" >/dev/null
  # shellcheck disable=SC2016,SC1003 # a Dockerfile, written literally
  {
    printf '%s\n' 'ARG ROOTFS_IMAGE' 'FROM ${ROOTFS_IMAGE}' 'ARG RECIPE' 'ARG OFFICIAL' 'ARG DIFFERS' 'ARG RECIPE_TEXT'
    printf '%s\n' 'LABEL io.xorb.standin="true" \' \
      '      io.xorb.standin.official-image="${OFFICIAL}" \' \
      '      io.xorb.standin.recipe="${RECIPE}" \' \
      '      io.xorb.standin.recipe-text="${RECIPE_TEXT}" \' \
      '      io.xorb.standin.differs="${DIFFERS}" \' \
      '      org.opencontainers.image.title="LOCAL STAND-IN for ${OFFICIAL}" \' \
      '      org.opencontainers.image.description="Built by docker/third-party-standins/build.sh on a machine without an image registry; never used for users."'
    "config_$name"
  } | DOCKER_BUILDKIT=1 "$DOCKER" build -q -t "$image" \
        --build-arg ROOTFS_IMAGE="$tmp" --build-arg RECIPE="$hash" --build-arg OFFICIAL="$image" \
        --build-arg DIFFERS="$DIFFERS" --build-arg RECIPE_TEXT="$RECIPE_TEXT" - >/dev/null
  "$DOCKER" rmi "$tmp" >/dev/null 2>&1 || true
}

status_of() { # name image hash -> status word
  local standin recipe
  if ! "$DOCKER" image inspect "$2" >/dev/null 2>&1; then echo missing; return; fi
  standin="$(image_label "$2" io.xorb.standin)"
  [ "$standin" = true ] || { echo official; return; }
  recipe="$(image_label "$2" io.xorb.standin.recipe)"
  if [ "$recipe" = "$3" ]; then echo "stand-in (up to date)"; else echo "stand-in (outdated: recipe $recipe)"; fi
}

if [ "$LIST" = 1 ]; then
  engine=1; "$DOCKER" version >/dev/null 2>&1 || engine=0
  for name in "${ALL[@]}"; do
    image="$(compose_image "$name")"; hash="$(recipe_hash "$name")"
    if [ "$engine" = 1 ]; then status="$(status_of "$name" "$image" "$hash")"; else status="no engine"; fi
    cached=no; [ -s "$CACHE_ROOT/$name-$hash.tar" ] && cached=yes
    "meta_$name"
    printf '%s\n  official image: %s\n  status: %s; root filesystem cached: %s (recipe %s)\n  recipe: %s\n  differs: %s\n' \
      "$name" "$image" "$status" "$cached" "$hash" "$RECIPE_TEXT" "$DIFFERS"
  done
  for name in "${NONE[@]}"; do
    printf '%s\n  official image: %s\n  %s\n' "$name" "$(compose_image "$name")" "$(none_reason "$name")"
  done
  exit 0
fi

"$DOCKER" version >/dev/null 2>&1 || die "no Docker engine answers at ${DOCKER_HOST:-the default socket}"
for name in "${NAMES[@]}"; do
  t0=$SECONDS
  image="$(compose_image "$name")"
  [ -n "$image" ] || die "docker-compose.development.yml has no image for service $name"
  hash="$(recipe_hash "$name")"
  status="$(status_of "$name" "$image" "$hash")"
  case "$status" in
    official) log "$image exists and is not a stand-in: using it as is"; continue ;;
    "stand-in (up to date)")
      if [ "$FORCE" = 0 ]; then log "$image is up to date (stand-in recipe $hash)"; continue; fi ;;
  esac
  if [ "$FORCE" = 1 ] || [ ! -s "$CACHE_ROOT/$name-$hash.tar" ]; then
    build_rootfs "$name" "$hash"
  else
    log "$name: using the cached root filesystem $CACHE_ROOT/$name-$hash.tar"
  fi
  build_image "$name" "$hash" "$image"
  size="$("$DOCKER" image inspect -f '{{ .Size }}' "$image")"
  log "built $image (stand-in recipe $hash): $((size / 1000000)) MB in $((SECONDS - t0))s"
done
