#!/usr/bin/env bash
# The full-stack compose smoke test (`npm run test:compose-smoke`, a step of .ci/run):
# docker-compose.development.yml, run as it is, end to end on this machine's engine.
#   1. the loopback services and the private dockerd (scripts/services.sh up), the tools
#      (scripts/install-tools.sh: Compose v2)
#   2. the third-party images the file names: each used as it is when the engine has it,
#      else its local stand-in is built (docker/third-party-standins/build.sh; no registry here)
#   3. the base image (official, or docker/base-standin/build.sh) and the apps' development
#      images (docker/build-images.sh --targets development)
#   4. `docker compose -p xorb-smoke-dev -f docker-compose.development.yml up -d --wait` with
#      XORB_DEV_SEED=true, the services listed explicitly: every one but grafana and
#      cadvisor, which have no stand-in (said so below)
#   5. checks, each printed "ok" or "FAIL":
#      a. tools/scripts/docker-build.sh test --environment development (XORB_STACK_PREFIX=
#         xorb-smoke) with the documented dev seed key, scanning the stack's own nginx:8080
#         (health, auth, a scan that completes, the worker's JSON report and its SHA-256)
#      b. `logs -f api-dev` (bounded by a timeout) shows JSON log lines with request ids,
#         among them the id of a request made with our own X-Request-Id
#      c. `up -d --scale worker-dev=4` gives 4 healthy worker replicas
#      d. Prometheus (its API on the published 127.0.0.1 port) has up == 1 for the api and
#         orchestrator jobs and 4 targets up for worker, found through Docker DNS
#   6. `down -v` always (trap), then "compose smoke: N passed, N failed"; exit 1 on a failure.
# Every request goes to 127.0.0.1 or to the stack's own containers.
# Env: XORB_SMOKE_PROJECT (xorb-smoke-dev), XORB_SMOKE_WAIT_TIMEOUT (seconds, default 900),
#      XORB_SMOKE_KEEP=1 (leave the stack up for a look; `down -v` it yourself),
#      XORB_SKIP_IMAGE_BUILD=1 (use the xorb/<app>:development images as they are).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
ROOT="$PWD"
export NX_NO_CLOUD=true NX_DAEMON=false FORCE_COLOR="${FORCE_COLOR:-0}"
# shellcheck source=docker/lib.sh
source docker/lib.sh

PROJECT="${XORB_SMOKE_PROJECT:-xorb-smoke-dev}"
STACK_PREFIX="${PROJECT%-dev}"
WAIT_TIMEOUT="${XORB_SMOKE_WAIT_TIMEOUT:-900}"
FILE="$ROOT/docker-compose.development.yml"
THIRD_PARTY=(postgres redis temporal nginx prometheus)
LEFT_OUT=(grafana cadvisor)
SERVICES=(postgres redis temporal migrate api-dev orchestrator-dev worker-dev nginx prometheus)
# The documented development key (README "Development seed"; apps/api/src/identity/provisioning.ts).
DEV_SEED_KEY=xorb_de0000000000_devOnlyInsecureKeyForLocalUseNeverInProdXrb
PASSED=0
FAILED=0
T_ALL=$SECONDS

step() { printf '\n=== compose smoke: %s (%ss)\n' "$1" "$((SECONDS - T_ALL))"; }
pass() { PASSED=$((PASSED + 1)); printf 'ok    %s\n' "$*"; }
failed() { FAILED=$((FAILED + 1)); printf 'FAIL  %s\n' "$*"; }
die() { printf 'compose smoke: %s\n' "$*" >&2; summary; exit 1; }
summary() { printf '\ncompose smoke: %d passed, %d failed (%ss)\n' "$PASSED" "$FAILED" "$((SECONDS - T_ALL))"; }

step "node, services, tools"
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
bash scripts/services.sh up || die "scripts/services.sh up failed"
eval "$(bash scripts/services.sh env)"
export DOCKER_HOST="$XORB_TEST_DOCKER_HOST"
bash scripts/install-tools.sh >/dev/null || die "scripts/install-tools.sh failed"
eval "$(bash scripts/install-tools.sh env)"
COMPOSE_BIN="${XORB_COMPOSE_BIN:-}"
[ -x "$COMPOSE_BIN" ] || die "no Compose v2 (XORB_COMPOSE_BIN; scripts/install-tools.sh builds it)"
DOCKER="$(xorb_docker)"
"$DOCKER" version >/dev/null 2>&1 || die "no Docker engine at $DOCKER_HOST"
for tool in jq curl timeout; do command -v "$tool" >/dev/null || die "$tool is required"; done
compose() { "$COMPOSE_BIN" -p "$PROJECT" -f "$FILE" "$@"; }

# Ports: the file's defaults, each moved (its XORB_DEV_*_PORT variable) only when taken here.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
for pair in HTTP:8080 API:8000 API_DEBUG:9229 ORCHESTRATOR:8001 ORCHESTRATOR_DEBUG:9230 \
            TEMPORAL_UI:8233 TEMPORAL:7233 PROMETHEUS:9090 PG:5432 REDIS:6379; do
  var="XORB_DEV_${pair%%:*}_PORT"; port="${!var:-${pair#*:}}"
  if port_taken "$port"; then
    export "$var=$(free_port)"; echo "127.0.0.1:$port is taken here: $var=${!var}"
  fi
done
for port in $(seq 9231 9239); do
  port_taken "$port" && die "127.0.0.1:$port (worker-dev debugger range 9231-9239, not configurable) is taken"
done

step "third-party images"
for name in "${THIRD_PARTY[@]}"; do
  image="$(awk -v svc="$name" '/^services:/ { s = 1; next } s && /^[^[:space:]#]/ { s = 0 }
    s && /^  [A-Za-z0-9._-]+:/ { cur = $1; sub(/:$/, "", cur); next }
    s && cur == svc && /^    image:/ { print $2; exit }' "$FILE")"
  standin="$("$DOCKER" image inspect -f '{{ index .Config.Labels "io.xorb.standin" }}' "$image" 2>/dev/null || echo missing)"
  if [ "$standin" = missing ] || [ "$standin" = true ]; then
    # No such image (no registry here), or our stand-in: build it / check its recipe.
    bash docker/third-party-standins/build.sh "$name" || die "stand-in $name ($image) failed"
    echo "$name: $image = LOCAL STAND-IN ($("$DOCKER" image inspect -f '{{ index .Config.Labels "io.xorb.standin.differs" }}' "$image"))"
  else
    echo "$name: $image (present, not a stand-in: used as it is)"
  fi
done
for name in "${LEFT_OUT[@]}"; do
  echo "$name: LEFT OUT of this smoke test ($(bash docker/third-party-standins/build.sh --list |
    grep -A2 "^$name\$" | sed -n 's/^  \(no stand-in: .*\)/\1/p'))"
done

step "base and development images"
BASE="$(xorb_base_image)"
standin="$("$DOCKER" image inspect -f '{{ index .Config.Labels "io.xorb.base-standin" }}' "$BASE" 2>/dev/null || echo missing)"
if [ "$standin" = missing ] || [ "$standin" = true ]; then
  bash docker/base-standin/build.sh || die "base stand-in failed"
else
  echo "official $BASE present"
fi
if [ "${XORB_SKIP_IMAGE_BUILD:-0}" != 1 ]; then
  log="${XORB_BUILD_LOG:-.services/compose-smoke-build.log}"
  mkdir -p "$(dirname "$log")"
  bash docker/build-images.sh --targets development --log "$log" ||
    die "development image build failed; full log: $log"
fi

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$?
  if [ "${XORB_SMOKE_KEEP:-0}" = 1 ]; then
    echo "XORB_SMOKE_KEEP=1: $PROJECT left running (down: $COMPOSE_BIN -p $PROJECT -f $FILE down -v)"
  else
    step "down -v"
    compose down -v --remove-orphans --timeout 20 >/dev/null 2>&1 || echo "warning: down -v of $PROJECT failed" >&2
  fi
  summary
  if [ "$FAILED" -gt 0 ] && [ "$rc" = 0 ]; then rc=1; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "up -d --wait (${SERVICES[*]}; left out: ${LEFT_OUT[*]})"
export XORB_DEV_SEED=true
compose down -v --remove-orphans >/dev/null 2>&1 || true # leftovers of an interrupted run
t0=$SECONDS
if compose up -d --wait --wait-timeout "$WAIT_TIMEOUT" "${SERVICES[@]}"; then
  pass "up -d --wait: ${#SERVICES[@]} services running, healthy where they have a healthcheck, migrate exited 0 ($((SECONDS - t0))s)"
else
  failed "up -d --wait after $((SECONDS - t0))s"
  compose ps -a --format 'table {{.Service}}\t{{.State}}\t{{.Status}}' || true
  for s in "${SERVICES[@]}"; do echo "--- $s (last 25 lines)"; compose logs --no-color --tail 25 "$s" 2>&1 || true; done
  exit 1
fi
compose ps -a --format 'table {{.Service}}\t{{.State}}\t{{.Status}}'

# a. docker-build.sh test
step "a. docker-build.sh test --environment development"
t0=$SECONDS
if XORB_STACK_PREFIX="$STACK_PREFIX" bash tools/scripts/docker-build.sh test --environment development \
     --api-key "$DEV_SEED_KEY" --scan-target nginx --scan-ports 8080 --timeout 300; then
  pass "docker-build.sh test --environment development: every check passed ($((SECONDS - t0))s)"
else
  failed "docker-build.sh test --environment development (lines above)"
fi

# b. logs -f api-dev: JSON lines with request ids, ours among them
step "b. logs -f api-dev"
api_port="$(compose port api-dev 8000 | tail -n1)"; api_port="${api_port##*:}"
request_id="smoke-$(cat /proc/sys/kernel/random/uuid)"
logs_out="$(mktemp)"
timeout 20 "$COMPOSE_BIN" -p "$PROJECT" -f "$FILE" logs -f --no-color --no-log-prefix --tail 50 api-dev >"$logs_out" 2>&1 &
logs_pid=$!
sleep 4
code="$(curl -sS -o /dev/null -w '%{http_code}' -m 10 -H "x-request-id: $request_id" \
  -H "authorization: Bearer $DEV_SEED_KEY" "http://127.0.0.1:$api_port/api/v1/me" || true)"
wait "$logs_pid" 2>/dev/null
json_lines="$(grep -c '^{' "$logs_out" || true)"
with_ids="$(grep '^{' "$logs_out" | jq -c 'select(.request_id != null)' 2>/dev/null | wc -l)"
ours="$(grep '^{' "$logs_out" | jq -c --arg id "$request_id" 'select(.request_id == $id)' 2>/dev/null | head -n1)"
if [ "$code" = 200 ] && [ -n "$ours" ] && [ "$with_ids" -gt 0 ]; then
  pass "logs -f api-dev (20 s): $json_lines JSON line(s), $with_ids with a request_id, ours: $(printf '%s' "$ours" | jq -c '{level, message: (.message // .msg), request_id, method, path, status_code}')"
else
  failed "logs -f api-dev: GET /api/v1/me answered $code; $json_lines JSON line(s), $with_ids with a request_id, ours ($request_id) $([ -n "$ours" ] && echo found || echo 'not found')"
  tail -n 10 "$logs_out"
fi
rm -f "$logs_out"

# c. four workers
step "c. up -d --scale worker-dev=4"
t0=$SECONDS
if compose up -d --wait --wait-timeout "$WAIT_TIMEOUT" --scale worker-dev=4 "${SERVICES[@]}"; then :; fi
healthy="$(compose ps --format json worker-dev | jq -rs 'flatten(1) | map(select(.State == "running" and .Health == "healthy")) | length')"
if [ "$healthy" = 4 ]; then
  pass "--scale worker-dev=4: 4 healthy worker replicas ($((SECONDS - t0))s)"
else
  failed "--scale worker-dev=4: $healthy healthy worker replica(s) after $((SECONDS - t0))s"
  compose ps -a --format 'table {{.Name}}\t{{.State}}\t{{.Status}}' worker-dev || true
fi

# d. Prometheus finds every replica through Docker DNS
step "d. Prometheus: up by job"
prom_port="$(compose port prometheus 9090 | tail -n1)"; prom_port="${prom_port##*:}"
query='sum by (job) (up{job=~"api|orchestrator|worker"})'
t0=$SECONDS; got=""
while [ $((SECONDS - t0)) -lt 150 ]; do
  got="$(curl -sS -m 10 --get "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$query" 2>/dev/null |
    jq -r '[.data.result[] | "\(.metric.job)=\(.value[1])"] | sort | join(" ")' 2>/dev/null || true)"
  [ "$got" = "api=1 orchestrator=1 worker=4" ] && break
  sleep 5
done
if [ "$got" = "api=1 orchestrator=1 worker=4" ]; then
  pass "Prometheus (DNS-SD): sum(up) by job: $got ($((SECONDS - t0))s)"
else
  failed "Prometheus (DNS-SD): sum(up) by job after $((SECONDS - t0))s: '${got:-no answer}', want 'api=1 orchestrator=1 worker=4'"
  curl -sS -m 10 "http://127.0.0.1:$prom_port/api/v1/targets?state=active" 2>/dev/null |
    jq -r '.data.activeTargets[] | "\(.labels.job) \(.scrapeUrl) \(.health) \(.lastError)"' 2>/dev/null || true
fi
exit 0
