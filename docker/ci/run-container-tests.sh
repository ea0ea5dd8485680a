#!/usr/bin/env bash
# The container pipeline, from a fresh machine (no images; at most the caches under
# ~/.cache/xorb): `npm run test:containers`, and a step of .ci/run.
#   1. Node 24 (scripts/node-env.sh) and node_modules (npm ci when missing)
#   2. the loopback services and a private dockerd (scripts/services.sh up: idempotent;
#      the startup, health and shutdown categories need PostgreSQL, Redis and Temporal)
#   3. the base image: docker/base-standin/build.sh when the engine has no such image
#      (machines without a registry; the stand-in is cached per recipe)
#   4. every app × development, production, testing (docker/build-images.sh, BuildKit)
#   5. the container suite (vitest, docker/tests), which prints "Summary: 9/9 tests passed"
#      and "containers: N passed, N failed"
# Extra arguments go to vitest, e.g. `docker/ci/run-container-tests.sh -t Security`.
# Env: XORB_SKIP_IMAGE_BUILD=1 (step 4 left to the suite), XORB_BUILD_LOG (default
#      .services/container-build.log), plus those of the scripts above.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false FORCE_COLOR="${FORCE_COLOR:-0}"
# shellcheck source=docker/lib.sh
source docker/lib.sh

step() { printf '\n=== containers: %s (%ss)\n' "$1" "$SECONDS"; }

step "node"
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
if [ ! -x node_modules/.bin/vitest ]; then npm ci --no-fund --no-audit; fi

step "services"
bash scripts/services.sh up
eval "$(bash scripts/services.sh env)"
export DOCKER_HOST="$XORB_TEST_DOCKER_HOST"
export TESTCONTAINERS_RYUK_DISABLED=true
DOCKER="$(xorb_docker)"

BASE="$(xorb_base_image)"
step "base image $BASE"
standin="$("$DOCKER" image inspect -f '{{ index .Config.Labels "io.xorb.base-standin" }}' "$BASE" 2>/dev/null || echo missing)"
if [ "$standin" = true ]; then
  bash docker/base-standin/build.sh          # checks the recipe; rebuilds only when it changed
elif [ "$standin" != missing ]; then
  echo "official $BASE present"
elif "$DOCKER" pull -q "$BASE" >/dev/null 2>&1; then
  echo "pulled the official $BASE"
else
  echo "no registry: building the local stand-in for $BASE"
  bash docker/base-standin/build.sh
fi

if [ "${XORB_SKIP_IMAGE_BUILD:-0}" != 1 ]; then
  step "images"
  log="${XORB_BUILD_LOG:-.services/container-build.log}"
  mkdir -p "$(dirname "$log")"
  bash docker/build-images.sh --log "$log" || { echo "image build failed; full log: $log" >&2; exit 1; }
fi

step "suite"
rc=0
node_modules/.bin/vitest run --config docker/tests/vitest.config.mts "$@" || rc=$?

# Rebuilt tags leave their previous images dangling: drop ours (label io.xorb.app) only.
"$DOCKER" image prune -f --filter dangling=true --filter label=io.xorb.app >/dev/null 2>&1 || true
step "done (exit $rc)"
exit "$rc"
