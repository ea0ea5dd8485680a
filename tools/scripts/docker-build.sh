#!/usr/bin/env bash
# XORB container management: build, push, pull, security-scan, size-report, deploy, test,
# validate, clean and logs. `tools/scripts/docker-build.sh --help` for the usage,
# `tools/scripts/docker-build.sh <command> --help` for a command's.
#
# Images are built by docker/build-images.sh (BuildKit, OCI labels, the `ca` build secret);
# this script adds the environment, versions, cache tags, parallelism, registries and
# everything that happens after the build. Exit status: 0 success, 1 the command failed,
# 2 usage error, 3 security-scan found no scanner.
set -euo pipefail

PROG="docker-build.sh"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
# xorb_docker (the client with BuildKit) and xorb_base_image, shared with docker/.
# shellcheck source=docker/lib.sh source-path=SCRIPTDIR/../..
source "$ROOT/docker/lib.sh"

APPS=(api orchestrator worker)
TARGETS=(development production testing)
ENVIRONMENTS=(development staging production)
COMMANDS=(build push pull security-scan size-report deploy test validate clean logs help)

LOCAL_PREFIX="${XORB_IMAGE_PREFIX:-xorb}"
STATE_DIR="${XORB_STATE_DIR:-$ROOT/.services}"
STACK_PREFIX="${XORB_STACK_PREFIX:-xorb}"
ENV_LABEL="io.xorb.environment"
PRODUCTION_FILE="$ROOT/docker-compose.production.yml"
DEVELOPMENT_FILE="$ROOT/docker-compose.development.yml"

COMMAND=""
POSITIONAL=()
declare -A OPT=()

# ---------------------------------------------------------------------------
# Usage
# ---------------------------------------------------------------------------
usage() {
  cat <<'EOF'
Usage: tools/scripts/docker-build.sh <command> [options] [services...]

Builds, ships, checks and runs the XORB images and stacks. Services: api orchestrator worker
(all three when none is named). Environments: development staging production.
Targets: development production testing (the stages of apps/<app>/Dockerfile).

Commands:
  build          build images (parallel by default) with OCI labels and cache tags; --push pushes them
  push           push built images to the registry (--registry or XORB_REGISTRY)
  pull           pull images from the registry and tag them with the local names
  security-scan  scan images with Trivy; fails on HIGH or CRITICAL vulnerabilities
  size-report    image sizes per service and target, with the change since the last report
  deploy         run docker-compose.production.yml as staging or production (compose, or --swarm)
  test           smoke-test a running stack: every service healthy, an authenticated API call, a scan
  validate       compose config of both stacks, docker stack config, nginx -t, promtool, dashboards
  clean          remove an environment's stack, its images and its cache tags
  logs           show a stack's logs
  help [command] this text, or a command's (same as <command> --help)

Blue-green release (the guide's sequence, one step per command):
  tools/scripts/docker-build.sh build --version v1.2.3 --target production --push
  tools/scripts/docker-build.sh deploy --environment staging      # the last build: v1.2.3
  tools/scripts/docker-build.sh test --environment staging
  tools/scripts/docker-build.sh deploy --environment production --version v1.2.3

Options may come before or after service names, as --name value or --name=value.
Exit status: 0 success; 1 the command failed (one line says why); 2 usage error (unknown
command, option, service, environment or target: this text is printed); 3 security-scan
found no scanner.

Environment:
  DOCKER_HOST          the engine (every docker call, compose and Trivy use it)
  XORB_IMAGE_PREFIX    local image names <prefix>/<service>:<tag> (default xorb)
  XORB_REGISTRY        registry host[:port][/path] for push, pull, deploy and cache (or --registry);
                       images become <registry>/<prefix>/<service>:<tag>
  XORB_STATE_DIR       size reports, build logs, deploy records (default <repo>/.services)
  XORB_STACK_PREFIX    stack (compose project) names <prefix>-<environment> (default xorb;
                       development: <prefix>-dev, the name in docker-compose.development.yml)
  XORB_DOCKER, XORB_COMPOSE_BIN, XORB_DOCKER_CLI_BIN, XORB_NGINX_BIN, XORB_PROMTOOL_BIN,
  XORB_TRIVY           tools (defaults: docker/lib.sh's client, scripts/install-tools.sh's builds, PATH)
EOF
}

help_for() {
  case "$1" in
    build) cat <<'EOF'
Usage: tools/scripts/docker-build.sh build [services...] [--environment ENV] [--target T[,T...]]
         [--version V] [--push] [--registry R] [--sequential] [--no-cache]

Builds <prefix>/<service>:<target> for each service and target with docker/build-images.sh
(BuildKit; OCI labels: version = --version or package.json's, revision = git HEAD (+ "-dirty"),
and, on production images, created and source), in parallel unless --sequential. Also tags
  <prefix>/<service>:<version>       with --version (<version>-<target> for development, testing)
  <prefix>/<service>:<cache tag>     dev-cache, prod-cache, test-cache (inline BuildKit cache)
and labels the image io.xorb.environment=<environment>. --cache-from uses the cache tag when it
is local, or the registry's when a registry is configured (never Docker Hub implicitly).

  --environment ENV  development, staging or production (default: from the target; production)
  --target T         development, production or testing, or a comma list (default: development
                     for the development environment, production otherwise)
  --version V        image tag and OCI version label (e.g. v1.2.3); deploy uses the last one built
  --push             push what was built (see push); an unreachable registry fails before building
  --registry R       registry for --push and --cache-from (default XORB_REGISTRY)
  --sequential       one image at a time, stopping at the first failure (default: all at once)
  --no-cache         build without the layer cache
Full build logs: $XORB_STATE_DIR/docker-build/logs/build-<service>-<target>.log.
EOF
    ;;
    push) cat <<'EOF'
Usage: tools/scripts/docker-build.sh push [services...] [--environment ENV] [--target T[,T...]]
         [--version V] [--registry R]

Pushes <registry>/<prefix>/<service>:<tag> for the tags <version> (with --version;
<version>-<target> for development and testing), <target> and its cache tag (when built),
tagging the local images with the registry's name first. The registry is --registry,
XORB_REGISTRY, or the one in XORB_IMAGE_PREFIX; without any, Docker Hub.
Checks that the registry answers before pushing anything: an unreachable registry fails with
one line (exit 1). Target default: production (development for --environment development).
EOF
    ;;
    pull) cat <<'EOF'
Usage: tools/scripts/docker-build.sh pull [services...] [--environment ENV] [--target T[,T...]]
         [--version V] [--registry R]

Pulls <registry>/<prefix>/<service>:<tag> and tags it <prefix>/<service>:<tag> locally, so
that deploy and compose find it. Tag: --version (<version>-<target> for development and
testing), else the target (production; development for --environment development).
An unreachable registry fails with one line (exit 1).
EOF
    ;;
    security-scan) cat <<'EOF'
Usage: tools/scripts/docker-build.sh security-scan [services...] [--target T] [--version V]
         [--environment ENV] [--severity LIST] [--allow-missing-scanner]

Scans <prefix>/<service>:<tag> (--version, else the target; default target production) with Trivy
(`trivy image`; XORB_TRIVY or trivy on PATH) and fails (exit 1) when it finds vulnerabilities of
the given severities (default HIGH,CRITICAL) or cannot scan. Also checks that each image runs as
a non-root user. Without Trivy it says so and exits 3, or 0 with --allow-missing-scanner.
EOF
    ;;
    size-report) cat <<'EOF'
Usage: tools/scripts/docker-build.sh size-report [services...] [--target T[,T...]]
         [--environment ENV] [--no-save]

Prints the size of <prefix>/<service>:<target> for every service and target (default: all
three targets), with the change since the last report, and saves this report under
$XORB_STATE_DIR/size-reports/ (<UTC time>.tsv, latest.tsv) unless --no-save.
EOF
    ;;
    deploy) cat <<'EOF'
Usage: tools/scripts/docker-build.sh deploy --environment staging|production [--version V]
         [--swarm] [--registry R] [--file F] [--timeout S] [--no-wait]

Runs docker-compose.production.yml as the stack <XORB_STACK_PREFIX>-<environment>:
  compose:  docker compose -p xorb-<env> -f docker-compose.production.yml up -d --remove-orphans
            --wait (until every service is running and healthy; --no-wait to return at once)
  --swarm:  docker stack deploy -c docker-compose.production.yml --prune xorb-<env>
with XORB_VERSION = --version, else $XORB_VERSION, else the version of the last `build` of the
production target, else "production"; XORB_IMAGE_PREFIX = <registry>/<prefix> with a registry.
Before anything starts it checks the secret files (XORB_SECRETS_HOST_DIR, default ./secrets:
tools/scripts/generate-secrets.sh) and, without a registry, that the app images are local.
Staging publishes XORB_HTTP_PORT/XORB_HTTPS_PORT/XORB_OPS_PORT 18080/18443/19443 unless set, so
that it can run next to production on one host. One step of the blue-green sequence:
build --push, deploy staging, test staging, deploy production (see --help).

  --file F     another compose file (default docker-compose.production.yml)
  --timeout S  how long --wait waits for healthy services (default 300)
EOF
    ;;
    test) cat <<'EOF'
Usage: tools/scripts/docker-build.sh test --environment ENV [--url URL] [--api-key KEY]
         [--scan-target TARGET] [--scan-ports PORTS] [--timeout S] [--insecure] [--cacert FILE]
         [--skip-scan] [--swarm] [--file F]

Smoke tests against a running stack, each step timed:
  1. every container of the stack is running, and healthy where it has a healthcheck (one-shot
     services exited 0), waiting up to --timeout (default 180) seconds;
  2. GET <url>/health answers 200 {"status":"ok"};
  3. GET <url>/api/v1/me answers 401 without a credential and 200 with the API key;
  4. a quick scan of the scan target (created as a target when it is not a target id) completes;
  5. the worker generated the scan's JSON report, and its download's SHA-256 is the recorded one.
URL: --url, else the stack's nginx (https://localhost:<published 8443>, http://127.0.0.1:<8080>
for development). API key (role analyst or admin): --api-key, $XORB_SMOKE_API_KEY or the file
$XORB_SMOKE_API_KEY_FILE. Scan target: --scan-target or $XORB_SMOKE_SCAN_TARGET (a target id, or a
value the key's tenant may scan); ports: --scan-ports or $XORB_SMOKE_SCAN_PORTS. --skip-scan
skips steps 4 and 5. TLS: verified against --cacert, else the stack's nginx_tls_certificate
secret for the derived URL, else the system CAs; --insecure skips verification.
EOF
    ;;
    validate) cat <<'EOF'
Usage: tools/scripts/docker-build.sh validate

Validates the deployment configuration with the tools that run it, on throwaway secrets
(tools/scripts/generate-secrets.sh into a temporary directory), one line per check:
  docker compose config  docker-compose.development.yml and docker-compose.production.yml
                         (no warnings allowed)
  docker stack config    docker-compose.production.yml (the Swarm loader; docker CLI >= 23)
  nginx -t               nginx/ with the production and the development site
  promtool               check config, check rules, test rules (monitoring/prometheus)
  dashboards             monitoring/grafana/dashboards/*.json parse
  Dockerfiles            docker/render-dockerfiles.sh --check
Exit 1 when a check fails or its tool is missing (scripts/install-tools.sh installs them).
EOF
    ;;
    clean) cat <<'EOF'
Usage: tools/scripts/docker-build.sh clean --environment ENV [--volumes] [--build-cache]
         [--dry-run] [--swarm] [--file F] [--registry R]

Removes the environment's stack (compose down --remove-orphans, or docker stack rm) and its
images: the tags <prefix>/<service>:<target> and cache tags of its targets (development:
development, testing; production: production; staging: none, it runs production's images),
every image labelled io.xorb.environment=<environment>, and its dangling images. An image that a
container of another stack uses is kept (and named). Volumes (databases!) only with --volumes.
--build-cache also prunes the engine's unused BuildKit cache (shared by all environments).
--dry-run prints what would be removed.
EOF
    ;;
    logs) cat <<'EOF'
Usage: tools/scripts/docker-build.sh logs [services...] [--environment ENV] [--follow]
         [--tail N] [--since T] [--swarm] [--file F]

Shows the logs of the environment's stack (default production), all services or the named ones
(compose service names; api, orchestrator and worker also name api-prod/api-dev, ...).
EOF
    ;;
    help) usage ;;
    *) usage ;;
  esac
}

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
say() { printf '%s\n' "$*"; }
warn() { printf '%s %s: %s\n' "$PROG" "$COMMAND" "$*" >&2; }
fail() { printf '%s %s: %s\n' "$PROG" "$COMMAND" "$*" >&2; exit 1; }

usage_error() {
  printf '%s: %s\n\n' "$PROG" "$1" >&2
  if in_list "$COMMAND" "${COMMANDS[@]}" && [ "$COMMAND" != help ]; then help_for "$COMMAND" >&2; else usage >&2; fi
  exit 2
}

in_list() { local item="$1" x; shift; for x in "$@"; do [ "$x" = "$item" ] && return 0; done; return 1; }
join_by() { local sep="$1" out="" x; shift; for x in "$@"; do out="${out:+$out$sep}$x"; done; printf '%s' "$out"; }

WORK=""
work_dir() {
  if [ -z "$WORK" ]; then
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/xorb-docker-build.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
  fi
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------
VALUE_OPTS=" environment target version registry severity url api-key scan-target scan-ports timeout cacert file tail since "
FLAG_OPTS=" push sequential parallel no-cache allow-missing-scanner swarm insecure skip-scan volumes build-cache dry-run no-save follow no-wait help "
declare -A ALLOWED=(
  [build]="environment target version push registry sequential parallel no-cache"
  [push]="environment target version registry"
  [pull]="environment target version registry"
  [security-scan]="environment target version severity allow-missing-scanner"
  [size-report]="environment target no-save"
  [deploy]="environment version registry swarm file timeout no-wait"
  [test]="environment url api-key scan-target scan-ports timeout insecure cacert skip-scan swarm file"
  [validate]=""
  [clean]="environment volumes build-cache dry-run swarm file registry"
  [logs]="environment follow tail since swarm file"
  [help]=""
)

parse_args() {
  local arg name value inline
  while [ "$#" -gt 0 ]; do
    arg="$1"
    case "$arg" in
      -h) OPT[help]=1; shift; continue ;;
      --) shift; POSITIONAL+=("$@"); break ;;
      --?*) ;;
      -*) usage_error "unknown option: $arg" ;;
      *)
        if [ -z "$COMMAND" ]; then COMMAND="$arg"; else POSITIONAL+=("$arg"); fi
        shift; continue ;;
    esac
    name="${arg#--}"; value=""; inline=0
    if [[ "$name" == *=* ]]; then value="${name#*=}"; name="${name%%=*}"; inline=1; fi
    if [[ "$VALUE_OPTS" == *" $name "* ]]; then
      if [ "$inline" = 0 ]; then
        if [ "$#" -lt 2 ] || [[ "$2" == --* ]]; then usage_error "option --$name needs a value"; fi
        value="$2"; shift
      fi
      [ -n "$value" ] || usage_error "option --$name needs a value"
      OPT[$name]="$value"
    elif [[ "$FLAG_OPTS" == *" $name "* ]]; then
      [ "$inline" = 0 ] || usage_error "option --$name takes no value"
      OPT[$name]=1
    else
      usage_error "unknown option: --$name"
    fi
    shift
  done
}

opt() { printf '%s' "${OPT[$1]:-}"; }
has() { [ -n "${OPT[$1]:-}" ]; }

check_options() {
  local name
  for name in "${!OPT[@]}"; do
    [ "$name" = help ] && continue
    [[ " ${ALLOWED[$COMMAND]} " == *" $name "* ]] || usage_error "$COMMAND does not take --$name"
  done
}

ENVIRONMENT=""
check_environment() { # [required] [allowed...]
  local required="$1"; shift
  local allowed=("$@")
  [ "${#allowed[@]}" -gt 0 ] || allowed=("${ENVIRONMENTS[@]}")
  ENVIRONMENT="$(opt environment)"
  if [ -z "$ENVIRONMENT" ]; then
    [ "$required" = required ] && usage_error "$COMMAND needs --environment ($(join_by ', ' "${allowed[@]}"))"
    return 0
  fi
  in_list "$ENVIRONMENT" "${allowed[@]}" ||
    usage_error "unknown environment for $COMMAND: $ENVIRONMENT ($(join_by ', ' "${allowed[@]}"))"
}

SEL_TARGETS=()
check_targets() { # [multiple|single]
  local raw t
  SEL_TARGETS=()
  raw="$(opt target)"
  [ -n "$raw" ] || return 0
  IFS=',' read -r -a SEL_TARGETS <<<"$raw"
  [ "${#SEL_TARGETS[@]}" -gt 0 ] || usage_error "option --target needs a value"
  for t in "${SEL_TARGETS[@]}"; do
    in_list "$t" "${TARGETS[@]}" || usage_error "unknown target: $t ($(join_by ', ' "${TARGETS[@]}"))"
  done
  if [ "$1" = single ] && [ "${#SEL_TARGETS[@]}" -gt 1 ]; then usage_error "$COMMAND takes one --target"; fi
}

SEL_APPS=()
check_apps() {
  local s app
  SEL_APPS=()
  for s in "${POSITIONAL[@]}"; do
    app="${s%-prod}"; app="${app%-dev}"
    in_list "$app" "${APPS[@]}" || usage_error "unknown service: $s ($(join_by ', ' "${APPS[@]}"))"
    in_list "$app" "${SEL_APPS[@]}" || SEL_APPS+=("$app")
  done
  [ "${#SEL_APPS[@]}" -gt 0 ] || SEL_APPS=("${APPS[@]}")
}

no_positional() {
  [ "${#POSITIONAL[@]}" = 0 ] || usage_error "$COMMAND takes no service names (got: ${POSITIONAL[*]})"
}

VERSION=""
check_version() {
  VERSION="$(opt version)"
  [ -z "$VERSION" ] || [[ "$VERSION" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
    usage_error "invalid --version: $VERSION (an image tag: letters, digits, _ . -, at most 128)"
}

REGISTRY=""
check_registry() {
  REGISTRY="$(opt registry)"
  [ -n "$REGISTRY" ] || REGISTRY="${XORB_REGISTRY:-}"
  REGISTRY="${REGISTRY%/}"
  [ -z "$REGISTRY" ] ||
    [[ "$REGISTRY" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$ ]] ||
    usage_error "invalid registry: $REGISTRY (host[:port][/path])"
}

check_seconds() { # option default -> prints the value
  local v; v="$(opt "$1")"; v="${v:-$2}"
  [[ "$v" =~ ^[0-9]+$ ]] || usage_error "--$1 takes a number of seconds, got: $v"
  printf '%s' "$v"
}

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------
# The tag --version gives an image of a target: the version itself for production (what
# deploy runs), <version>-<target> for the others (so that they never share a tag).
version_tag() { if [ "$1" = production ]; then printf '%s' "$VERSION"; else printf '%s-%s' "$VERSION" "$1"; fi; }
cache_tag() { case "$1" in development) echo dev-cache ;; production) echo prod-cache ;; testing) echo test-cache ;; esac; }
env_default_target() { case "$1" in development) echo development ;; *) echo production ;; esac; }
target_default_env() { case "$1" in production) echo production ;; *) echo development ;; esac; }
env_clean_targets() { case "$1" in development) echo "development testing" ;; production) echo production ;; *) echo "" ;; esac; }

# "registry.example.com:5000" for registry.example.com:5000/xorb/api, "docker.io" without one.
registry_of() {
  local first="${1%%/*}"
  if [[ "$1" == */* ]] && { [[ "$first" == *.* ]] || [[ "$first" == *:* ]] || [ "$first" = localhost ]; }; then
    printf '%s' "$first"
  else
    printf 'docker.io'
  fi
}
remote_prefix() {
  if [ -z "$REGISTRY" ] || [[ "$LOCAL_PREFIX" == "$REGISTRY"/* ]]; then printf '%s' "$LOCAL_PREFIX"
  else printf '%s/%s' "$REGISTRY" "$LOCAL_PREFIX"; fi
}
registry_configured() { [ -n "$REGISTRY" ] || [ "$(registry_of "$LOCAL_PREFIX/x")" != docker.io ]; }

stack_name() { # env
  if [ "$1" = development ]; then printf '%s-dev' "$STACK_PREFIX"; else printf '%s-%s' "$STACK_PREFIX" "$1"; fi
}

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
DOCKER="$(xorb_docker)"
require_engine() {
  "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
    fail "no Docker engine answers at ${DOCKER_HOST:-the default socket} (client $DOCKER)"
}
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

declare -A INSTALLED_TOOLS=()
TOOLS_LOADED=0
installed_tool() { # XORB_*_BIN -> the path scripts/install-tools.sh reports ("" when unknown)
  local line
  if [ "$TOOLS_LOADED" = 0 ]; then
    TOOLS_LOADED=1
    if [ -f "$ROOT/scripts/install-tools.sh" ]; then
      while IFS= read -r line; do
        line="${line#export }"
        [[ "$line" == *=* ]] && INSTALLED_TOOLS["${line%%=*}"]="${line#*=}"
      done < <(bash "$ROOT/scripts/install-tools.sh" env 2>/dev/null || true)
    fi
  fi
  printf '%s' "${INSTALLED_TOOLS[$1]:-}"
}

find_tool() { # VAR command -> path or "" (an explicit VAR is the only candidate)
  local var="$1" cmd="$2" c
  if [ -n "${!var:-}" ]; then
    if [ -x "${!var}" ]; then printf '%s' "${!var}"; return 0; fi
    return 1
  fi
  for c in "${!var:-}" "$(installed_tool "$var")" "$(command -v "$cmd" 2>/dev/null || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then printf '%s' "$c"; return 0; fi
  done
  return 1
}

COMPOSE=()
resolve_compose() {
  [ "${#COMPOSE[@]}" = 0 ] || return 0
  local c v
  for c in "${XORB_COMPOSE_BIN:-}" "$(installed_tool XORB_COMPOSE_BIN)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then COMPOSE=("$c"); break; fi
  done
  if [ "${#COMPOSE[@]}" = 0 ]; then
    if "$DOCKER" compose version >/dev/null 2>&1; then COMPOSE=("$DOCKER" compose)
    elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=("$(command -v docker-compose)")
    else fail "Docker Compose v2 is not installed (scripts/install-tools.sh builds it; or set XORB_COMPOSE_BIN)"; fi
  fi
  v="$("${COMPOSE[@]}" version --short 2>/dev/null || true)"
  [[ "${v#v}" =~ ^([2-9]|[1-9][0-9])\. ]] ||
    fail "${COMPOSE[*]} is Compose '${v:-unknown}'; Compose v2 is required (v1 rejects keys the stacks use)"
}

STACK_DOCKER=""
resolve_stack_docker() { # a docker CLI whose `stack` commands load the stack files (>= 23: stack config)
  local need="${1:-config}" c
  [ -z "$STACK_DOCKER" ] || return 0
  for c in "${XORB_DOCKER_CLI_BIN:-}" "$(installed_tool XORB_DOCKER_CLI_BIN)" "$(command -v docker 2>/dev/null || true)" "$DOCKER"; do
    if [ -z "$c" ] || [ ! -x "$c" ]; then continue; fi
    if "$c" stack "$need" --help >/dev/null 2>&1; then STACK_DOCKER="$c"; return 0; fi
  done
  return 1
}

# ---------------------------------------------------------------------------
# Registries
# ---------------------------------------------------------------------------
REGISTRY_ERROR=""
registry_reachable() { # host -> 0 when something answers HTTP(S) on /v2/
  local host="$1" api code err="" scheme
  work_dir
  if [ "$host" = docker.io ]; then api="registry-1.docker.io"; else api="$host"; fi
  command -v curl >/dev/null 2>&1 || return 0 # cannot tell: docker will say
  for scheme in https http; do
    code="$(curl -sS -o /dev/null -m "${XORB_REGISTRY_TIMEOUT:-5}" -w '%{http_code}' "$scheme://$api/v2/" 2>"$WORK/curl.err" || true)"
    if [ -n "$code" ] && [ "$code" != 000 ]; then return 0; fi
    err="$(sed -n 's/^curl: ([0-9]*) //p' "$WORK/curl.err" | tail -n1)"
    [ "$api" = registry-1.docker.io ] && break
  done
  REGISTRY_ERROR="${err:-no answer}"
  return 1
}

last_line() { grep -v '^[[:space:]]*$' "$1" | tail -n1 | sed 's/^Error response from daemon: //'; }

# ---------------------------------------------------------------------------
# build / push / pull
# ---------------------------------------------------------------------------
resolve_build_selection() { # sets ENVIRONMENT and SEL_TARGETS defaults
  if [ "${#SEL_TARGETS[@]}" = 0 ]; then
    SEL_TARGETS=("$(env_default_target "${ENVIRONMENT:-production}")")
  fi
  [ -n "$ENVIRONMENT" ] || ENVIRONMENT="$(target_default_env "${SEL_TARGETS[0]}")"
}

push_images() {
  local remote registry app target tag ref remote_ref out t0 digest
  local refs=() missing=()
  declare -A seen=()
  remote="$(remote_prefix)"
  registry="$(registry_of "$remote/x")"
  for app in "${SEL_APPS[@]}"; do
    for target in "${SEL_TARGETS[@]}"; do
      local tags=("$target")
      [ -z "$VERSION" ] || tags=("$(version_tag "$target")" "$target")
      for tag in "${tags[@]}"; do
        ref="$LOCAL_PREFIX/$app:$tag"
        [ -z "${seen[$ref]:-}" ] || continue
        seen[$ref]=1
        if image_exists "$ref"; then refs+=("$ref"); else missing+=("$ref"); fi
      done
      ref="$LOCAL_PREFIX/$app:$(cache_tag "$target")"
      if [ -z "${seen[$ref]:-}" ] && image_exists "$ref"; then seen[$ref]=1; refs+=("$ref"); fi
    done
  done
  [ "${#missing[@]}" = 0 ] || fail "not built here: ${missing[*]} (build them first: $PROG build ...)"
  registry_reachable "$registry" ||
    fail "registry $registry is not reachable ($REGISTRY_ERROR): nothing was pushed (--registry or XORB_REGISTRY names the registry)"
  work_dir
  out="$WORK/push.out"
  for ref in "${refs[@]}"; do
    remote_ref="$remote/${ref#"$LOCAL_PREFIX"/}"
    if [ "$remote_ref" != "$ref" ]; then "$DOCKER" tag "$ref" "$remote_ref"; fi
    t0="$(now)"
    if "$DOCKER" push "$remote_ref" >"$out" 2>&1; then
      digest="$(grep -o 'digest: sha256:[0-9a-f]*' "$out" | tail -n1 || true)"
      say "pushed $remote_ref in $(since "$t0")${digest:+ ($digest)}"
    else
      fail "pushing $remote_ref to $registry failed: $(last_line "$out")"
    fi
  done
}

cmd_push() {
  check_environment optional; check_targets multiple; check_apps; check_version; check_registry
  resolve_build_selection
  require_engine
  push_images
}

cmd_pull() {
  check_environment optional; check_targets multiple; check_apps; check_version; check_registry
  resolve_build_selection
  require_engine
  local remote registry app tag remote_ref local_ref out t0 t tags=()
  remote="$(remote_prefix)"
  registry="$(registry_of "$remote/x")"
  tags=()
  for t in "${SEL_TARGETS[@]}"; do
    if [ -n "$VERSION" ]; then tags+=("$(version_tag "$t")"); else tags+=("$t"); fi
  done
  registry_reachable "$registry" ||
    fail "registry $registry is not reachable ($REGISTRY_ERROR): nothing was pulled (--registry or XORB_REGISTRY names the registry)"
  work_dir
  out="$WORK/pull.out"
  for app in "${SEL_APPS[@]}"; do
    for tag in "${tags[@]}"; do
      remote_ref="$remote/$app:$tag"
      local_ref="$LOCAL_PREFIX/$app:$tag"
      t0="$(now)"
      "$DOCKER" pull -q "$remote_ref" >"$out" 2>&1 || fail "pulling $remote_ref failed: $(last_line "$out")"
      if [ "$remote_ref" != "$local_ref" ]; then
        "$DOCKER" tag "$remote_ref" "$local_ref"
        say "pulled $remote_ref as $local_ref in $(since "$t0")"
      else
        say "pulled $remote_ref in $(since "$t0")"
      fi
    done
  done
}

cmd_build() {
  check_environment optional; check_targets multiple; check_apps; check_version; check_registry
  resolve_build_selection
  has parallel && has sequential && usage_error "--parallel and --sequential exclude each other"
  require_engine
  local remote logdir app target ref extra job t_all rc=0 failed=0 built=0 mode
  local names=() pids=() outs=()
  remote="$(remote_prefix)"
  logdir="$STATE_DIR/docker-build/logs"
  mkdir -p "$logdir"
  work_dir
  mode=parallel; has sequential && mode=sequential

  # As docker/build-images.sh computes them for the production stage's labels.
  local PACKAGE_VERSION VCS_REF
  PACKAGE_VERSION="$(sed -n 's/^  "version": *"\(.*\)",$/\1/p' "$ROOT/package.json" | head -n1)"
  PACKAGE_VERSION="${PACKAGE_VERSION:-0.0.0-dev}"
  VCS_REF="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
  if [ "$VCS_REF" != unknown ] && [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    VCS_REF="$VCS_REF-dirty"
  fi

  build_job() { # app target out -> exit status of docker/build-images.sh
    local app="$1" target="$2" cache_ref extra=""
    cache_ref="$LOCAL_PREFIX/$app:$(cache_tag "$target")"
    [ -z "$VERSION" ] || extra+=" --build-arg VERSION=$VERSION -t $LOCAL_PREFIX/$app:$(version_tag "$target")"
    extra+=" --build-arg BUILDKIT_INLINE_CACHE=1 --label $ENV_LABEL=$ENVIRONMENT -t $cache_ref"
    # The cache image: the local one when it exists; the registry's only when one is configured.
    if image_exists "$cache_ref"; then extra+=" --cache-from $cache_ref"; fi
    if registry_configured && [ "$remote" != "$LOCAL_PREFIX" ]; then
      extra+=" --cache-from $remote/$app:$(cache_tag "$target")"
    elif registry_configured && ! image_exists "$cache_ref"; then
      extra+=" --cache-from $cache_ref"
    fi
    # The production stage labels itself (docker/build-images.sh's build args); the other
    # stages get the version and revision labels here.
    if [ "$target" != production ]; then
      extra+=" --label org.opencontainers.image.version=${VERSION:-$PACKAGE_VERSION}"
      extra+=" --label org.opencontainers.image.revision=$VCS_REF"
    fi
    has no-cache && extra+=" --no-cache"
    extra+=" ${XORB_BUILD_EXTRA_ARGS:-}"
    XORB_IMAGE_PREFIX="$LOCAL_PREFIX" XORB_BUILD_EXTRA_ARGS="$extra" \
      bash "$ROOT/docker/build-images.sh" --apps "$app" --targets "$target" \
      --log "$logdir/build-$app-$target.log"
  }

  if has push && ! registry_reachable "$(registry_of "$remote/x")"; then
    fail "registry $(registry_of "$remote/x") is not reachable ($REGISTRY_ERROR): nothing was built or pushed (--registry or XORB_REGISTRY names the registry)"
  fi
  for app in "${SEL_APPS[@]}"; do
    for target in "${SEL_TARGETS[@]}"; do names+=("$app:$target"); done
  done
  say "building ${#names[@]} image(s) ($mode, environment $ENVIRONMENT${VERSION:+, version $VERSION}): $(join_by ', ' "${names[@]/#/$LOCAL_PREFIX/}")"
  t_all="$(now)"
  for job in "${names[@]}"; do
    app="${job%%:*}"; target="${job#*:}"
    outs+=("$WORK/build-$app-$target.out")
    if [ "$mode" = parallel ]; then
      build_job "$app" "$target" >"$WORK/build-$app-$target.out" 2>&1 &
      pids+=("$!")
    else
      rc=0
      build_job "$app" "$target" >"$WORK/build-$app-$target.out" 2>&1 || rc=$?
      if [ "$rc" != 0 ]; then cat "$WORK/build-$app-$target.out" >&2; failed=$((failed + 1)); break; fi
      cat "$WORK/build-$app-$target.out"
      built=$((built + 1))
    fi
  done
  if [ "$mode" = parallel ]; then
    local i
    for i in "${!pids[@]}"; do
      rc=0
      wait "${pids[$i]}" || rc=$?
      if [ "$rc" = 0 ]; then cat "${outs[$i]}"; built=$((built + 1)); else cat "${outs[$i]}" >&2; failed=$((failed + 1)); fi
    done
  fi
  if [ "$failed" -gt 0 ]; then
    fail "$failed of ${#names[@]} image(s) failed after $(since "$t_all") ($mode); full logs: $logdir/"
  fi
  say "built ${built} image(s) in $(since "$t_all") ($mode); logs: $logdir/"
  for job in "${names[@]}"; do
    ref="$LOCAL_PREFIX/${job%%:*}:${job#*:}"
    say "  $ref  $("$DOCKER" image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}} {{index .Config.Labels "org.opencontainers.image.revision"}}' "$ref" |
      awk '{ printf "version %s, revision %s", $1, $2 }')"
  done
  if in_list production "${SEL_TARGETS[@]}"; then
    mkdir -p "$STATE_DIR/docker-build"
    {
      printf 'version=%s\n' "${VERSION:-production}"
      printf 'prefix=%s\n' "$LOCAL_PREFIX"
      printf 'services=%s\n' "${SEL_APPS[*]}"
      printf 'time=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } >"$STATE_DIR/docker-build/last-build.env"
  fi
  if has push; then push_images; fi
}

# ---------------------------------------------------------------------------
# security-scan
# ---------------------------------------------------------------------------
cmd_security_scan() {
  check_environment optional; check_targets single; check_apps; check_version
  local target severity trivy app ref user out rc failed=0 t0 tag
  if [ "${#SEL_TARGETS[@]}" -gt 0 ]; then target="${SEL_TARGETS[0]}"; else target="$(env_default_target "${ENVIRONMENT:-production}")"; fi
  tag="$target"; [ -z "$VERSION" ] || tag="$(version_tag "$target")"
  severity="$(opt severity)"; severity="${severity:-HIGH,CRITICAL}"
  [[ "$severity" =~ ^(UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL)(,(UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL))*$ ]] ||
    usage_error "invalid --severity: $severity (a comma list of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)"
  trivy=""
  if [ -n "${XORB_TRIVY:-}" ]; then
    if [ -x "$XORB_TRIVY" ]; then trivy="$XORB_TRIVY"; else trivy=""; fi
  else
    trivy="$(command -v trivy 2>/dev/null || true)"
  fi
  if [ -z "$trivy" ]; then
    if has allow-missing-scanner; then
      warn "no vulnerability scanner: Trivy is not installed (${XORB_TRIVY:-trivy not on PATH}); images were NOT scanned for vulnerabilities (--allow-missing-scanner)"
    else
      printf '%s security-scan: no vulnerability scanner: Trivy is not installed (%s). Install Trivy (https://trivy.dev) or set XORB_TRIVY; --allow-missing-scanner skips the scan.\n' \
        "$PROG" "${XORB_TRIVY:-trivy not on PATH}" >&2
      exit 3
    fi
  fi
  require_engine
  work_dir
  say "🔒 Running security scans on images..."
  for app in "${SEL_APPS[@]}"; do
    ref="$LOCAL_PREFIX/$app:$tag"
    if ! image_exists "$ref"; then
      say "❌ $app: $ref is not built here"; failed=$((failed + 1)); continue
    fi
    user="$("$DOCKER" image inspect -f '{{.Config.User}}' "$ref")"
    case "${user%%:*}" in
      ""|0|root) say "❌ $app: $ref runs as root (USER ${user:-unset})"; failed=$((failed + 1)) ;;
      *) say "✅ $app: runs as non-root user $user" ;;
    esac
    [ -n "$trivy" ] || continue
    say "Scanning $app for vulnerabilities..."
    out="$WORK/trivy-$app.out"
    t0="$(now)"
    rc=0
    "$trivy" image --quiet --no-progress --exit-code 5 --severity "$severity" "$ref" >"$out" 2>&1 || rc=$?
    case "$rc" in
      0) say "✅ No ${severity//,/ or } vulnerabilities found ($(since "$t0"))" ;;
      5) sed 's/^/    /' "$out"
         say "❌ $app: ${severity//,/ or } vulnerabilities found in $ref"; failed=$((failed + 1)) ;;
      *) say "❌ $app: Trivy could not scan $ref (exit $rc): $(last_line "$out")"; failed=$((failed + 1)) ;;
    esac
  done
  [ "$failed" = 0 ] || fail "$failed problem(s) in ${#SEL_APPS[@]} image(s)"
}

# ---------------------------------------------------------------------------
# size-report
# ---------------------------------------------------------------------------
cmd_size_report() {
  check_environment optional; check_targets multiple; check_apps
  require_engine
  local dir latest stamp report app target ref info id size prev prev_time="" line total=0 prev_total=0 count=0
  local targets=("${TARGETS[@]}")
  [ "${#SEL_TARGETS[@]}" = 0 ] || targets=("${SEL_TARGETS[@]}")
  if [ "${#SEL_TARGETS[@]}" = 0 ] && [ -n "$ENVIRONMENT" ]; then
    read -r -a targets <<<"$(env_clean_targets "$ENVIRONMENT")"
    [ "${#targets[@]}" -gt 0 ] || targets=(production)
  fi
  dir="$STATE_DIR/size-reports"
  latest="$dir/latest.tsv"
  stamp="$(date -u +%Y%m%dT%H%M%S.%3NZ)"
  declare -A before=()
  if [ -f "$latest" ]; then
    while IFS=$'\t' read -r app target ref id size; do
      if [ "$app" = "#" ]; then prev_time="$target"; continue; fi
      before["$app/$target"]="$size"
    done <"$latest"
  fi
  work_dir
  report="$WORK/report.tsv"
  printf '#\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$report"
  say "Image sizes of $LOCAL_PREFIX/* on ${DOCKER_HOST:-the default engine}${prev_time:+; change since the report of $prev_time}"
  printf '%-14s %-12s %-40s %10s  %s\n' SERVICE TARGET IMAGE SIZE CHANGE
  for app in "${SEL_APPS[@]}"; do
    for target in "${targets[@]}"; do
      ref="$LOCAL_PREFIX/$app:$target"
      prev="${before["$app/$target"]:-}"
      if info="$("$DOCKER" image inspect -f '{{.Id}} {{.Size}}' "$ref" 2>/dev/null)"; then
        id="${info%% *}"; size="${info##* }"
        printf '%s\t%s\t%s\t%s\t%s\n' "$app" "$target" "$ref" "$id" "$size" >>"$report"
        total=$((total + size)); count=$((count + 1))
        if [ -z "$prev_time" ]; then line="first report"
        elif [ -z "$prev" ]; then line="new"
        else
          prev_total=$((prev_total + prev))
          line="$(awk -v a="$prev" -v b="$size" 'BEGIN { d = b - a;
            if (d == 0) { print "unchanged"; exit }
            printf "%+.1f MB (%+.1f%%)", d / 1000000, (a > 0 ? 100 * d / a : 0) }')"
        fi
        printf '%-14s %-12s %-40s %10s  %s\n' "$app" "$target" "$ref" "$(mb "$size")" "$line"
      else
        line="not built"; [ -z "$prev" ] || line="removed (was $(mb "$prev"))"
        printf '%-14s %-12s %-40s %10s  %s\n' "$app" "$target" "$ref" "-" "$line"
      fi
    done
  done
  printf '%-14s %-12s %-40s %10s\n' TOTAL "" "$count image(s)" "$(mb "$total")"
  if has no-save; then return 0; fi
  mkdir -p "$dir"
  cp "$report" "$dir/$stamp.tsv"
  cp "$report" "$latest"
  say "saved: $dir/$stamp.tsv"
}

# ---------------------------------------------------------------------------
# Stacks: deploy, test, clean, logs
# ---------------------------------------------------------------------------
DEPLOY_RECORD=""
declare -A RECORD=()
load_record() { # env: the last deploy's settings
  DEPLOY_RECORD="$STATE_DIR/docker-build/deploy-$1.env"
  RECORD=()
  local key value
  [ -f "$DEPLOY_RECORD" ] || return 0
  while IFS='=' read -r key value; do [ -n "$key" ] && RECORD[$key]="$value"; done <"$DEPLOY_RECORD"
}

STACK_FILE=""
SWARM=0
PROJECT=""
resolve_stack() { # env
  load_record "$1"
  PROJECT="$(stack_name "$1")"
  STACK_FILE="$(opt file)"
  if [ -z "$STACK_FILE" ] && [ "${RECORD[project]:-}" = "$PROJECT" ]; then STACK_FILE="${RECORD[file]:-}"; fi
  if [ -z "$STACK_FILE" ]; then
    if [ "$1" = development ]; then STACK_FILE="$DEVELOPMENT_FILE"; else STACK_FILE="$PRODUCTION_FILE"; fi
  fi
  [ -f "$STACK_FILE" ] || fail "no compose file $STACK_FILE"
  STACK_FILE="$(cd "$(dirname "$STACK_FILE")" && pwd)/$(basename "$STACK_FILE")"
  SWARM=0
  if has swarm || { [ -z "$(opt file)" ] && [ "${RECORD[mode]:-}" = swarm ] && [ "${RECORD[project]:-}" = "$PROJECT" ]; }; then SWARM=1; fi
}

compose_stack() { "${COMPOSE[@]}" -p "$PROJECT" -f "$STACK_FILE" "$@"; }

file_services() { # compose file -> its service names
  awk '/^services:[[:space:]]*$/ { s = 1; next }
       s && /^[^[:space:]#]/ { s = 0 }
       s && /^  [A-Za-z0-9._-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "$1"
}

require_swarm_manager() {
  local state
  state="$("$DOCKER" info --format '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}' 2>/dev/null || true)"
  [ "$state" = active/true ] ||
    fail "--swarm needs a Swarm manager, but this engine's swarm state is '${state%%/*}' (docker swarm init, or deploy with compose)"
  resolve_stack_docker deploy || fail "no docker CLI with 'docker stack deploy' (scripts/install-tools.sh)"
}

cmd_deploy() {
  no_positional; check_environment required staging production; check_version; check_registry
  local timeout version source prefix secrets_dir missing=() pulls=() image t0 config
  timeout="$(check_seconds timeout 300)"
  command -v jq >/dev/null 2>&1 || fail "jq is required (apt-get install jq)"
  resolve_stack "$ENVIRONMENT"
  require_engine
  resolve_compose
  load_last_build() { local f="$STATE_DIR/docker-build/last-build.env"; [ -f "$f" ] && sed -n 's/^version=//p' "$f" | tail -n1; }
  if [ -n "$VERSION" ]; then version="$VERSION"; source="--version"
  elif [ -n "${XORB_VERSION:-}" ]; then version="$XORB_VERSION"; source="XORB_VERSION"
  elif version="$(load_last_build)" && [ -n "$version" ]; then source="the last build"
  else version=production; source="default"; fi
  prefix="$(remote_prefix)"
  export XORB_VERSION="$version" XORB_IMAGE_PREFIX="$prefix"
  if [ "$ENVIRONMENT" = staging ]; then
    export XORB_HTTP_PORT="${XORB_HTTP_PORT:-18080}" XORB_HTTPS_PORT="${XORB_HTTPS_PORT:-18443}" XORB_OPS_PORT="${XORB_OPS_PORT:-19443}"
  fi
  # cAdvisor reads the engine the stack runs on.
  if [ -z "${XORB_DOCKER_SOCKET:-}" ] && [[ "${DOCKER_HOST:-}" == unix://* ]]; then export XORB_DOCKER_SOCKET="${DOCKER_HOST#unix://}"; fi
  if [ -z "${XORB_DOCKER_DATA_ROOT:-}" ]; then
    XORB_DOCKER_DATA_ROOT="$("$DOCKER" info --format '{{.DockerRootDir}}' 2>/dev/null || true)"
    if [ -n "$XORB_DOCKER_DATA_ROOT" ]; then export XORB_DOCKER_DATA_ROOT; else unset XORB_DOCKER_DATA_ROOT; fi
  fi
  secrets_dir="${XORB_SECRETS_HOST_DIR:-$ROOT/secrets}"
  say "deploying $PROJECT ($ENVIRONMENT) from $(basename "$STACK_FILE"): version $version ($source), images $prefix/*, $([ "$SWARM" = 1 ] && echo "swarm" || echo "compose")"
  [ "$ENVIRONMENT" != staging ] || say "staging publishes ports $XORB_HTTP_PORT (http), $XORB_HTTPS_PORT (https), $XORB_OPS_PORT (ops)"

  work_dir
  config="$WORK/config.json"
  compose_stack config --format json >"$config" 2>"$WORK/config.err" ||
    fail "$(basename "$STACK_FILE") does not load: $(last_line "$WORK/config.err")"
  # Secret files first: compose would only say so half-way through.
  while IFS= read -r f; do [ -z "$f" ] || [ -f "$f" ] || missing+=("$f"); done \
    < <(jq -r '(.secrets // {}) | to_entries[] | .value.file // empty' "$config")
  [ "${#missing[@]}" = 0 ] ||
    fail "missing secret files: ${missing[*]} (tools/scripts/generate-secrets.sh --dir ${secrets_dir}; XORB_SECRETS_HOST_DIR names the directory)"
  # The app images: local, unless a registry holds them. Never pulled from Docker Hub's xorb namespace.
  while IFS= read -r image; do
    [ -n "$image" ] || continue
    if [[ "$image" == "$prefix"/* ]]; then
      image_exists "$image" || missing+=("$image")
    elif ! image_exists "$image"; then
      pulls+=("$image")
    fi
  done < <(jq -r '[.services[].image // empty] | unique[]' "$config")
  if [ "${#missing[@]}" -gt 0 ]; then
    if registry_configured; then
      registry_reachable "$(registry_of "${missing[0]}")" ||
        fail "images ${missing[*]} are not local and registry $(registry_of "${missing[0]}") is not reachable ($REGISTRY_ERROR)"
      pulls+=("${missing[@]}")
    else
      fail "images not found here: ${missing[*]} (build them: $PROG build --target production --version $version; or pull them with --registry)"
    fi
  fi
  [ "${#pulls[@]}" = 0 ] || say "images to pull: ${pulls[*]}"

  t0="$(now)"
  if [ "$SWARM" = 1 ]; then
    require_swarm_manager
    local args=(stack deploy --prune -c "$STACK_FILE")
    registry_configured && args+=(--with-registry-auth)
    (cd "$ROOT" && "$STACK_DOCKER" "${args[@]}" "$PROJECT") || fail "docker stack deploy $PROJECT failed after $(since "$t0")"
  else
    local args=(up -d --remove-orphans)
    has no-wait || args+=(--wait --wait-timeout "$timeout")
    if ! compose_stack "${args[@]}"; then
      compose_stack ps -a --format 'table {{.Service}}\t{{.State}}\t{{.Status}}' >&2 2>/dev/null || true
      fail "docker compose up of $PROJECT failed after $(since "$t0") (logs: $PROG logs --environment $ENVIRONMENT)"
    fi
  fi
  mkdir -p "$STATE_DIR/docker-build"
  {
    printf 'project=%s\n' "$PROJECT"
    printf 'file=%s\n' "$STACK_FILE"
    printf 'mode=%s\n' "$([ "$SWARM" = 1 ] && echo swarm || echo compose)"
    printf 'version=%s\n' "$version"
    printf 'prefix=%s\n' "$prefix"
    printf 'time=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$DEPLOY_RECORD"
  say "deployed $PROJECT version $version in $(since "$t0")$(has no-wait || [ "$SWARM" = 1 ] || echo ', every service running and healthy')"
  [ "$ENVIRONMENT" != staging ] || say "next: $PROG test --environment staging"
}

# --- test -------------------------------------------------------------------
CHECKS_FAILED=0
CHECKS_RUN=0
check_ok() { CHECKS_RUN=$((CHECKS_RUN + 1)); say "ok    $*"; }
check_fail() { CHECKS_RUN=$((CHECKS_RUN + 1)); CHECKS_FAILED=$((CHECKS_FAILED + 1)); say "FAIL  $*"; }

stack_containers() { # -> "service state health exitcode" lines
  compose_stack ps -a --format json 2>/dev/null |
    jq -rs 'flatten(1)[] | "\(.Service) \(.State) \(if (.Health // "") == "" then "-" else .Health end) \(.ExitCode // 0)"'
}

wait_stack_healthy() { # timeout -> 0 when every container is fine; STACK_SUMMARY
  local timeout="$1" deadline lines bad summary service state health code total
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    if [ "$SWARM" = 1 ]; then
      lines="$("$STACK_DOCKER" stack services --format '{{.Name}} {{.Replicas}}' "$PROJECT" 2>/dev/null || true)"
      [ -n "$lines" ] || { STACK_SUMMARY="no services in stack $PROJECT"; return 2; }
      bad=""; summary=""; total=0
      while read -r service state; do
        total=$((total + 1))
        summary+="${summary:+, }${service#"$PROJECT"_} $state"
        local have="${state%%/*}" want="${state#*/}"; want="${want%% *}"
        if [ "$have" != "$want" ] && [ "${service#"$PROJECT"_}" != migrate ]; then bad+=" ${service#"$PROJECT"_}"; fi
      done <<<"$lines"
    else
      lines="$(stack_containers)"
      [ -n "$lines" ] || { STACK_SUMMARY="no containers in project $PROJECT"; return 2; }
      bad=""; summary=""; total=0
      while read -r service state health code; do
        total=$((total + 1))
        case "$state/$health" in
          running/-|running/healthy) summary+="${summary:+, }$service ${health/-/running}" ;;
          exited/*)
            if [ "$code" = 0 ]; then summary+="${summary:+, }$service exited 0"
            else STACK_SUMMARY="$service exited with $code"; return 1; fi ;;
          dead/*) STACK_SUMMARY="$service is dead"; return 1 ;;
          *) bad+=" $service($state/$health)"; summary+="${summary:+, }$service $state/$health" ;;
        esac
      done <<<"$lines"
    fi
    STACK_SUMMARY="$total container(s): $summary"
    [ -n "$bad" ] || return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then STACK_SUMMARY="not healthy after ${timeout}s:$bad ($summary)"; return 1; fi
    sleep 2
  done
}

HTTP_CODE=""
HTTP_BODY=""
HTTP_ERROR=""
CURL_TLS=()
BASE_URL=""
API_KEY=""
http() { # auth|anon METHOD PATH [JSON BODY] [extra header]
  local auth="$1" method="$2" path="$3" body="${4:-}" header="${5:-}"
  local args=(-sS -o "$WORK/http.body" -w '%{http_code}' -m 20 -X "$method" -H 'accept: application/json')
  [ "${#CURL_TLS[@]}" = 0 ] || args+=("${CURL_TLS[@]}")
  [ "$auth" != auth ] || args+=(-H "@$WORK/auth.header")
  [ -z "$header" ] || args+=(-H "$header")
  [ -z "$body" ] || args+=(-H 'content-type: application/json' --data-binary "$body")
  : >"$WORK/http.body"
  HTTP_CODE="$(curl "${args[@]}" "$BASE_URL$path" 2>"$WORK/http.err" || true)"
  HTTP_BODY="$(cat "$WORK/http.body")"
  HTTP_ERROR="$(sed -n 's/^curl: ([0-9]*) //p' "$WORK/http.err" | tail -n1)"
}
http_reason() { # a short description of the last answer
  if [ -z "$HTTP_CODE" ] || [ "$HTTP_CODE" = 000 ]; then printf 'no answer (%s)' "${HTTP_ERROR:-connection failed}"
  else printf 'HTTP %s %s' "$HTTP_CODE" "$(printf '%s' "$HTTP_BODY" | tr -s '\n' ' ' | cut -c1-200)"; fi
}

derive_url() { # env -> URL of the stack's nginx
  local port
  if [ "$1" = development ]; then
    port="$(compose_stack port nginx 8080 2>/dev/null | tail -n1)"
    [ -n "$port" ] && printf 'http://127.0.0.1:%s' "${port##*:}"
  else
    port="$(compose_stack port nginx 8443 2>/dev/null | tail -n1)"
    [ -n "$port" ] && printf 'https://localhost:%s' "${port##*:}"
  fi
}

check_scan_report() { # scan id, timeout: the worker's automatic JSON report of the scan, downloaded
  local scan_id="$1" timeout="$2" t0 deadline report="" status="" report_id sha size actual findings
  t0="$(now)"
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    http auth GET "/api/v1/reports?limit=100"
    if [ "$HTTP_CODE" = 200 ]; then
      report="$(printf '%s' "$HTTP_BODY" | jq -c --arg s "$scan_id" \
        '[.items[] | select(.scan_id == $s and .format == "json")][0] // empty' 2>/dev/null || true)"
      status="$(printf '%s' "$report" | jq -r '.status // empty' 2>/dev/null || true)"
      case "$status" in completed|failed) break ;; esac
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then break; fi
    sleep 1
  done
  if [ -z "$report" ]; then
    check_fail "scan report of $scan_id: no JSON report after ${timeout}s$([ "$HTTP_CODE" = 200 ] || printf ' (GET /api/v1/reports: %s)' "$(http_reason)")"
    return 0
  fi
  report_id="$(printf '%s' "$report" | jq -r '.id')"
  if [ "$status" != completed ]; then
    check_fail "scan report $report_id of $scan_id: ${status:-unknown}$(printf '%s' "$report" | jq -r 'if .error then ": " + .error else "" end')"
    return 0
  fi
  sha="$(printf '%s' "$report" | jq -r '.sha256 // empty')"
  size="$(printf '%s' "$report" | jq -r '.size_bytes // empty')"
  findings="$(printf '%s' "$report" | jq -r '.findings // 0')"
  http auth GET "/api/v1/reports/$report_id/download"
  if [ "$HTTP_CODE" != 200 ]; then
    check_fail "scan report $report_id: download: $(http_reason)"; return 0
  fi
  actual="$(sha256sum "$WORK/http.body" | cut -c1-64)"
  if [ -z "$sha" ] || [ "$actual" != "$sha" ]; then
    check_fail "scan report $report_id: the download's SHA-256 $actual does not match the recorded ${sha:-(none)}"
  elif ! jq -e . "$WORK/http.body" >/dev/null 2>&1; then
    check_fail "scan report $report_id: the download is not JSON"
  else
    check_ok "scan report $report_id (json, $size bytes, $findings finding(s)) generated by the worker; download SHA-256 matches ${sha:0:16}... ($(since "$t0"))"
  fi
}

cmd_test() {
  no_positional; check_environment required
  local timeout t0 t_all key_file target ports rc created target_id me scan_id status deadline secrets_dir
  timeout="$(check_seconds timeout 180)"
  command -v jq >/dev/null 2>&1 || fail "jq is required (apt-get install jq)"
  command -v curl >/dev/null 2>&1 || fail "curl is required (apt-get install curl)"
  resolve_stack "$ENVIRONMENT"
  work_dir
  t_all="$(now)"
  say "smoke tests of $PROJECT ($ENVIRONMENT)"

  # 1. the stack
  t0="$(now)"
  require_engine
  [ "$SWARM" = 0 ] || resolve_stack_docker ls || fail "no docker CLI with 'docker stack' commands"
  [ "$SWARM" = 1 ] || resolve_compose
  rc=0; wait_stack_healthy "$timeout" || rc=$?
  case "$rc" in
    0) check_ok "stack $PROJECT: $STACK_SUMMARY ($(since "$t0"))" ;;
    2) if has url; then say "skip  stack $PROJECT: $STACK_SUMMARY on ${DOCKER_HOST:-this engine}; checking $(opt url) only"
       else check_fail "stack $PROJECT: $STACK_SUMMARY (deploy it first: $PROG deploy --environment $ENVIRONMENT)"; fi ;;
    *) check_fail "stack $PROJECT: $STACK_SUMMARY ($(since "$t0"))" ;;
  esac

  # 2. the URL
  BASE_URL="$(opt url)"
  secrets_dir="${XORB_SECRETS_HOST_DIR:-$ROOT/secrets}"
  if [ -z "$BASE_URL" ]; then
    BASE_URL="$(derive_url "$ENVIRONMENT" || true)"
    if [ -z "$BASE_URL" ]; then
      check_fail "no URL: $PROJECT publishes no nginx port here (give --url)"
      fail "$CHECKS_FAILED of $CHECKS_RUN check(s) failed in $(since "$t_all")"
    fi
    if [[ "$BASE_URL" == https:* ]] && ! has cacert && [ -f "$secrets_dir/nginx_tls_certificate" ]; then
      CURL_TLS=(--cacert "$secrets_dir/nginx_tls_certificate")
    fi
  fi
  BASE_URL="${BASE_URL%/}"
  if has cacert; then CURL_TLS=(--cacert "$(opt cacert)"); fi
  if has insecure; then CURL_TLS=(--insecure); fi
  t0="$(now)"
  http anon GET /health
  if [ "$HTTP_CODE" = 200 ] && [ "$(printf '%s' "$HTTP_BODY" | jq -r '.status' 2>/dev/null)" = ok ]; then
    check_ok "GET $BASE_URL/health: 200 $(printf '%s' "$HTTP_BODY" | jq -c . 2>/dev/null) ($(since "$t0"))"
  else
    check_fail "GET $BASE_URL/health: $(http_reason)"
  fi

  # 3. authentication
  API_KEY="$(opt api-key)"
  [ -n "$API_KEY" ] || API_KEY="${XORB_SMOKE_API_KEY:-}"
  key_file="${XORB_SMOKE_API_KEY_FILE:-}"
  if [ -z "$API_KEY" ] && [ -n "$key_file" ]; then
    [ -r "$key_file" ] || fail "XORB_SMOKE_API_KEY_FILE $key_file is not readable"
    API_KEY="$(tr -d '\r\n' <"$key_file")"
  fi
  if [ -z "$API_KEY" ]; then
    check_fail "authenticated API call: no API key (--api-key, XORB_SMOKE_API_KEY or XORB_SMOKE_API_KEY_FILE)"
  else
    (umask 077; printf 'authorization: Bearer %s\n' "$API_KEY" >"$WORK/auth.header")
    t0="$(now)"
    http anon GET /api/v1/me
    if [ "$HTTP_CODE" = 401 ]; then check_ok "GET /api/v1/me without a credential: 401"
    else check_fail "GET /api/v1/me without a credential: expected 401, got $(http_reason)"; fi
    http auth GET /api/v1/me
    if [ "$HTTP_CODE" = 200 ]; then
      me="$(printf '%s' "$HTTP_BODY" | jq -r '"\(.kind) \(.actor), role \(.role), tenant \(.tenant.slug)"' 2>/dev/null || echo "?")"
      check_ok "GET /api/v1/me with the API key: 200, $me ($(since "$t0"))"
    else
      check_fail "GET /api/v1/me with the API key: $(http_reason)"
    fi
  fi

  # 4. a scan
  target="$(opt scan-target)"; target="${target:-${XORB_SMOKE_SCAN_TARGET:-}}"
  ports="$(opt scan-ports)"; ports="${ports:-${XORB_SMOKE_SCAN_PORTS:-}}"
  if has skip-scan; then
    say "skip  scan (--skip-scan)"
  elif [ -z "$API_KEY" ]; then
    check_fail "scan: no API key"
  elif [ -z "$target" ]; then
    check_fail "scan: no scan target (--scan-target or XORB_SMOKE_SCAN_TARGET: a target id, or a host, address or URL the key's tenant may scan)"
  else
    t0="$(now)"
    target_id=""; created=""
    if [[ "$target" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
      http auth GET "/api/v1/targets/$target"
      [ "$HTTP_CODE" = 200 ] && target_id="$target"
    else
      http auth POST /api/v1/targets "$(jq -cn --arg v "$target" '{value: $v, tags: ["smoke-test"]}')"
      if [ "$HTTP_CODE" = 201 ] || [ "$HTTP_CODE" = 200 ]; then
        target_id="$(printf '%s' "$HTTP_BODY" | jq -r '.id')"; created=" (created)"
      elif [ "$HTTP_CODE" = 409 ]; then
        local cursor="" page=0
        while [ -z "$target_id" ] && [ "$page" -lt 50 ]; do
          page=$((page + 1))
          http auth GET "/api/v1/targets?limit=200${cursor:+&cursor=$cursor}"
          [ "$HTTP_CODE" = 200 ] || break
          target_id="$(printf '%s' "$HTTP_BODY" | jq -r --arg v "$target" \
            '[.items[] | select((.value | ascii_downcase) == ($v | ascii_downcase | sub("/$"; "")))][0].id // empty')"
          cursor="$(printf '%s' "$HTTP_BODY" | jq -r '.next_cursor // empty')"
          [ -n "$cursor" ] || break
        done
        [ -n "$target_id" ] || HTTP_CODE="409" HTTP_BODY="exists, but not found in the target list"
      fi
    fi
    if [ -z "$target_id" ]; then
      check_fail "scan: target $target: $(http_reason)"
    else
      http auth GET "/api/v1/targets/$target_id"
      if [ "$(printf '%s' "$HTTP_BODY" | jq -r '.scan_eligibility.allowed' 2>/dev/null)" != true ]; then
        check_fail "scan: target $target may not be scanned: $(printf '%s' "$HTTP_BODY" | jq -r '.scan_eligibility.reason // empty' 2>/dev/null || http_reason)"
      else
        local body
        body="$(jq -cn --arg t "$target_id" --arg p "$ports" '{targetId: $t, profile: "quick"} + (if $p == "" then {} else {ports: $p} end)')"
        http auth POST /api/v1/scans "$body" "idempotency-key: smoke-$(date +%s)-$$-$RANDOM"
        scan_id="$(printf '%s' "$HTTP_BODY" | jq -r '.id // empty' 2>/dev/null || true)"
        if [ "$HTTP_CODE" != 202 ] || [ -z "$scan_id" ]; then
          check_fail "scan: POST /api/v1/scans for $target: $(http_reason)"
        else
          deadline=$(( $(date +%s) + timeout ))
          status=queued
          while :; do
            http auth GET "/api/v1/scans/$scan_id"
            status="$(printf '%s' "$HTTP_BODY" | jq -r '.status // empty' 2>/dev/null || true)"
            case "$status" in completed|failed|cancelled) break ;; esac
            if [ "$(date +%s)" -ge "$deadline" ]; then status="still ${status:-unknown} after ${timeout}s"; break; fi
            sleep 1
          done
          if [ "$status" = completed ]; then
            check_ok "scan $scan_id of $target$created completed in $(since "$t0"): $(printf '%s' "$HTTP_BODY" |
              jq -r '"\(.ports_scanned) port(s) probed, open: \(if (.open_ports | length) == 0 then "none" else (.open_ports | map(tostring) | join(",")) end), findings new \(.counts.findings_new), seen \(.counts.findings_seen)"')"
            check_scan_report "$scan_id" "$timeout"
          else
            check_fail "scan $scan_id of $target: $status$(printf '%s' "$HTTP_BODY" | jq -r 'if .error then ": " + .error else "" end' 2>/dev/null || true)"
          fi
        fi
      fi
    fi
  fi

  if [ "$CHECKS_FAILED" -gt 0 ]; then
    fail "$CHECKS_FAILED of $CHECKS_RUN check(s) failed in $(since "$t_all")"
  fi
  say "test: $ENVIRONMENT passed, $CHECKS_RUN check(s) in $(since "$t_all")"
}

# --- clean ------------------------------------------------------------------
cmd_clean() {
  no_positional; check_environment required; check_registry
  local dry="" app target tag ref id image containers cid project line remote
  declare -A keep_ids=() refs_seen=()
  local refs=()
  has dry-run && dry="(dry run) "
  resolve_stack "$ENVIRONMENT"
  require_engine
  local t0; t0="$(now)"

  # 1. the stack
  if [ "$SWARM" = 1 ]; then
    require_swarm_manager
    if "$STACK_DOCKER" stack ls --format '{{.Name}}' 2>/dev/null | grep -qx "$PROJECT"; then
      say "${dry}docker stack rm $PROJECT"
      [ -n "$dry" ] || "$STACK_DOCKER" stack rm "$PROJECT" || fail "docker stack rm $PROJECT failed"
    else
      say "no swarm stack $PROJECT"
    fi
  else
    resolve_compose
    if [ -n "$("$DOCKER" ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] ||
       [ -n "$("$DOCKER" network ls -q --filter "label=com.docker.compose.project=$PROJECT")" ] ||
       { has volumes && [ -n "$("$DOCKER" volume ls -q --filter "label=com.docker.compose.project=$PROJECT")" ]; }; then
      local args=(down --remove-orphans --timeout 30)
      has volumes && args+=(--volumes)
      say "${dry}docker compose -p $PROJECT ${args[*]}"
      if [ -z "$dry" ]; then compose_stack "${args[@]}" || fail "docker compose down of $PROJECT failed"; fi
    else
      say "no compose project $PROJECT"
    fi
  fi
  if [ -z "$dry" ] && [ -n "$DEPLOY_RECORD" ] && [ -f "$DEPLOY_RECORD" ]; then rm -f "$DEPLOY_RECORD"; fi

  # 2. images: the environment's targets and cache tags, and whatever carries its label
  remote="$(remote_prefix)"
  for app in "${APPS[@]}"; do
    for target in $(env_clean_targets "$ENVIRONMENT"); do
      for tag in "$target" "$(cache_tag "$target")"; do
        for ref in "$LOCAL_PREFIX/$app:$tag" "$remote/$app:$tag"; do
          [ -z "${refs_seen[$ref]:-}" ] || continue
          refs_seen[$ref]=1
          image_exists "$ref" && refs+=("$ref")
        done
      done
    done
  done
  while IFS= read -r ref; do
    if [ -z "$ref" ] || [[ "$ref" == *"<none>"* ]]; then continue; fi
    [[ "$ref" == "$LOCAL_PREFIX"/* ]] || [[ "$ref" == "$remote"/* ]] || continue
    [ -z "${refs_seen[$ref]:-}" ] || continue
    refs_seen[$ref]=1; refs+=("$ref")
  done < <("$DOCKER" images --filter "label=$ENV_LABEL=$ENVIRONMENT" --format '{{.Repository}}:{{.Tag}}')
  # Images other stacks' containers use stay.
  containers="$("$DOCKER" ps -aq)"
  if [ -n "$containers" ]; then
    while read -r cid project id; do
      [ "$project" = "$PROJECT" ] && continue
      keep_ids[$id]="${keep_ids[$id]:-}${keep_ids[$id]:+,}$cid"
    done < <(for cid in $containers; do
      "$DOCKER" inspect -f '{{.Name}} {{if index .Config.Labels "com.docker.compose.project"}}{{index .Config.Labels "com.docker.compose.project"}}{{else}}-{{end}} {{.Image}}' "$cid" 2>/dev/null | sed 's#^/##'
    done)
  fi
  local removed=0 kept=0
  for ref in "${refs[@]}"; do
    id="$("$DOCKER" image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)"
    [ -n "$id" ] || continue
    if [ -n "${keep_ids[$id]:-}" ]; then
      say "kept $ref: used by container(s) ${keep_ids[$id]}"; kept=$((kept + 1)); continue
    fi
    say "${dry}removing $ref"
    removed=$((removed + 1))
    if [ -z "$dry" ]; then
      "$DOCKER" image rm "$ref" >/dev/null 2>"${TMPDIR:-/tmp}/xorb-clean.$$" ||
        { warn "could not remove $ref: $(last_line "${TMPDIR:-/tmp}/xorb-clean.$$")"; }
      rm -f "${TMPDIR:-/tmp}/xorb-clean.$$"
    fi
  done
  # 3. dangling images of the environment (replaced builds)
  image="$("$DOCKER" images -q --filter dangling=true --filter "label=$ENV_LABEL=$ENVIRONMENT" | sort -u | wc -l)"
  if [ "$image" -gt 0 ]; then
    say "${dry}removing $image dangling image(s) labelled $ENV_LABEL=$ENVIRONMENT"
    [ -n "$dry" ] || "$DOCKER" image prune -f --filter "label=$ENV_LABEL=$ENVIRONMENT" >/dev/null
  fi
  # 4. build cache, on request only: BuildKit's cache is shared by every environment
  if has build-cache; then
    say "${dry}docker builder prune -f (unused build cache; shared by all environments)"
    if [ -z "$dry" ]; then
      line="$("$DOCKER" builder prune -f 2>&1 | tail -n1)" || fail "docker builder prune failed: $line"
      say "  $line"
    fi
  fi
  say "${dry}clean $ENVIRONMENT: stack $PROJECT, $removed image tag(s) removed, $kept kept, in $(since "$t0")"
}

# --- logs -------------------------------------------------------------------
cmd_logs() {
  check_environment optional
  ENVIRONMENT="${ENVIRONMENT:-production}"
  resolve_stack "$ENVIRONMENT"
  local services=() s known=() found tail
  mapfile -t known < <(file_services "$STACK_FILE")
  for s in "${POSITIONAL[@]}"; do
    found=""
    for candidate in "$s" "$s-prod" "$s-dev"; do
      if in_list "$candidate" "${known[@]}"; then found="$candidate"; break; fi
    done
    [ -n "$found" ] || usage_error "unknown service: $s (services of $(basename "$STACK_FILE"): $(join_by ', ' "${known[@]}"))"
    services+=("$found")
  done
  tail="$(opt tail)"
  [ -z "$tail" ] || [ "$tail" = all ] || [[ "$tail" =~ ^[0-9]+$ ]] || usage_error "--tail takes a number or all, got: $tail"
  require_engine
  if [ "$SWARM" = 1 ]; then
    resolve_stack_docker ls || fail "no docker CLI with 'docker stack' commands"
    [ "${#services[@]}" -gt 0 ] || mapfile -t services < <(printf '%s\n' "${known[@]}")
    local args=(service logs --timestamps)
    has follow && args+=(--follow)
    [ -z "$tail" ] || args+=(--tail "$tail")
    has since && args+=(--since "$(opt since)")
    for s in "${services[@]}"; do "$STACK_DOCKER" "${args[@]}" "${PROJECT}_$s" || true; done
    return 0
  fi
  resolve_compose
  [ -n "$("$DOCKER" ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] ||
    fail "no containers of $PROJECT here (deploy it first: $PROG deploy --environment $ENVIRONMENT)"
  local args=(logs --no-color)
  has follow && args+=(--follow)
  [ -z "$tail" ] || args+=(--tail "$tail")
  has since && args+=(--since "$(opt since)")
  compose_stack "${args[@]}" "${services[@]}"
}

# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------
VALIDATE_FAILED=0
run_check() { # name command... -> one line, the output on failure
  local name="$1" t0 rc=0
  shift
  t0="$(now)"
  "$@" >"$WORK/check.out" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    say "ok    $name ($(since "$t0"))"
  else
    VALIDATE_FAILED=$((VALIDATE_FAILED + 1))
    say "FAIL  $name ($(since "$t0"))"
    tail -n 25 "$WORK/check.out" | sed 's/^/      /'
  fi
}

check_compose_config() { # file
  "${COMPOSE[@]}" -f "$1" config -q 2>"$WORK/compose.err"
  if [ -s "$WORK/compose.err" ]; then cat "$WORK/compose.err"; echo "(warnings are errors here)"; return 1; fi
}

check_stack_config() {
  "$STACK_DOCKER" stack config -c "$PRODUCTION_FILE" >/dev/null 2>"$WORK/stack.err" || { cat "$WORK/stack.err"; return 1; }
  if [ -s "$WORK/stack.err" ]; then cat "$WORK/stack.err"; echo "(warnings are errors here)"; return 1; fi
}

render_nginx() { # site dir secrets -> dir/nginx.conf, as the stacks mount nginx/
  local site="$1" dir="$2" secrets="$3" f
  mkdir -p "$dir/xorb" "$dir/sites" "$dir/cache"
  chmod 755 "$dir"; chmod 777 "$dir/cache"
  cp /etc/nginx/mime.types "$dir/mime.types" 2>/dev/null || : >"$dir/mime.types"
  paths() {
    sed -e "s#/etc/nginx/#$dir/#g" -e "s#/tmp/nginx_#$dir/cache/nginx_#g" \
        -e "s#/run/secrets/#$secrets/#g" -e "s#pid /tmp/nginx.pid;#pid $dir/nginx.pid;#" "$1"
  }
  paths "$ROOT/nginx/nginx.conf" >"$dir/nginx.conf"
  for f in "$ROOT"/nginx/xorb/*.conf; do paths "$f" >"$dir/xorb/$(basename "$f")"; done
  paths "$ROOT/nginx/sites/$site.conf" |
    sed -e 's#listen 8080 #listen 127.0.0.1:8080 #' -e 's#listen 8443 #listen 127.0.0.1:8443 #' \
        -e 's#listen 9443 #listen 127.0.0.1:9443 #' >"$dir/sites/xorb.conf"
}

check_nginx() { # site
  local nginx="$1" site="$2" dir="$WORK/nginx-$2"
  render_nginx "$site" "$dir" "$WORK/secrets"
  "$nginx" -t -c "$dir/nginx.conf" -p "$dir" >"$WORK/nginx.out" 2>&1 || { cat "$WORK/nginx.out"; return 1; }
  if grep -q '\[warn\]' "$WORK/nginx.out"; then cat "$WORK/nginx.out"; echo "(warnings are errors here)"; return 1; fi
}

check_promtool_config() {
  local promtool="$1"
  sed "s#/etc/prometheus/rules/#$ROOT/monitoring/prometheus/rules/#g" "$ROOT/monitoring/prometheus/prometheus.yml" >"$WORK/prometheus.yml"
  "$promtool" check config "$WORK/prometheus.yml"
}

check_dashboards() {
  local f n=0
  for f in "$ROOT"/monitoring/grafana/dashboards/*.json; do
    [ -f "$f" ] || continue
    jq -e '.panels | type == "array"' "$f" >/dev/null || { echo "$f: not a dashboard (no panels array) or not JSON"; return 1; }
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || { echo "no dashboards in monitoring/grafana/dashboards"; return 1; }
  echo "$n dashboards"
}

missing_tool() { echo "$1 is not installed (scripts/install-tools.sh installs it)"; return 1; }

cmd_validate() {
  no_positional
  local t_all nginx promtool
  t_all="$(now)"
  work_dir
  command -v openssl >/dev/null 2>&1 || fail "openssl is required for the throwaway secrets (apt-get install openssl)"
  bash "$ROOT/tools/scripts/generate-secrets.sh" --dir "$WORK/secrets" --domain localhost >/dev/null 2>"$WORK/secrets.err" ||
    fail "tools/scripts/generate-secrets.sh failed: $(last_line "$WORK/secrets.err")"
  export XORB_SECRETS_HOST_DIR="$WORK/secrets"
  say "validating the deployment configuration (throwaway secrets in a temporary directory)"
  if (resolve_compose) >/dev/null 2>&1; then
    resolve_compose
    run_check "docker compose config docker-compose.development.yml" check_compose_config "$DEVELOPMENT_FILE"
    run_check "docker compose config docker-compose.production.yml" check_compose_config "$PRODUCTION_FILE"
  else
    run_check "docker compose config (both files)" missing_tool "Docker Compose v2"
  fi
  if resolve_stack_docker config; then
    run_check "docker stack config docker-compose.production.yml" check_stack_config
  else
    run_check "docker stack config docker-compose.production.yml" missing_tool "a docker CLI >= 23 (docker stack config)"
  fi
  if nginx="$(find_tool XORB_NGINX_BIN nginx)"; then
    run_check "nginx -t (production site)" check_nginx "$nginx" production
    run_check "nginx -t (development site)" check_nginx "$nginx" development
  else
    run_check "nginx -t" missing_tool "nginx${XORB_NGINX_BIN:+ (XORB_NGINX_BIN=$XORB_NGINX_BIN)}"
  fi
  if promtool="$(find_tool XORB_PROMTOOL_BIN promtool)"; then
    run_check "promtool check config monitoring/prometheus/prometheus.yml" check_promtool_config "$promtool"
    run_check "promtool check rules monitoring/prometheus/rules/*.yml" "$promtool" check rules "$ROOT"/monitoring/prometheus/rules/*.yml
    run_check "promtool test rules monitoring/prometheus/tests/*.yml" "$promtool" test rules "$ROOT"/monitoring/prometheus/tests/*.yml
  else
    run_check "promtool" missing_tool "promtool${XORB_PROMTOOL_BIN:+ (XORB_PROMTOOL_BIN=$XORB_PROMTOOL_BIN)}"
  fi
  if command -v jq >/dev/null 2>&1; then
    run_check "grafana dashboards monitoring/grafana/dashboards/*.json" check_dashboards
  else
    run_check "grafana dashboards" missing_tool jq
  fi
  run_check "Dockerfiles match docker/Dockerfile.template" bash "$ROOT/docker/render-dockerfiles.sh" --check
  if [ "$VALIDATE_FAILED" -gt 0 ]; then fail "$VALIDATE_FAILED check(s) failed in $(since "$t_all")"; fi
  say "validate: every check passed in $(since "$t_all")"
}

# ---------------------------------------------------------------------------
main() {
  parse_args "$@"
  if [ -z "$COMMAND" ]; then
    if has help; then usage; exit 0; fi
    usage_error "no command given"
  fi
  in_list "$COMMAND" "${COMMANDS[@]}" || usage_error "unknown command: $COMMAND"
  if [ "$COMMAND" = help ]; then
    if [ "${#POSITIONAL[@]}" = 0 ]; then usage; exit 0; fi
    in_list "${POSITIONAL[0]}" "${COMMANDS[@]}" || usage_error "unknown command: ${POSITIONAL[0]}"
    help_for "${POSITIONAL[0]}"; exit 0
  fi
  check_options
  if has help; then help_for "$COMMAND"; exit 0; fi
  case "$COMMAND" in
    build) cmd_build ;;
    push) cmd_push ;;
    pull) cmd_pull ;;
    security-scan) cmd_security_scan ;;
    size-report) cmd_size_report ;;
    deploy) cmd_deploy ;;
    test) cmd_test ;;
    validate) cmd_validate ;;
    clean) cmd_clean ;;
    logs) cmd_logs ;;
  esac
}

main "$@"
