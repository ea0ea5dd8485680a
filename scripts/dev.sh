#!/usr/bin/env bash
# Runs api, orchestrator and worker from source with watch mode, against the
# loopback services of scripts/services.sh: for work without Docker images.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
if [ ! -d node_modules ]; then npm ci --no-fund --no-audit; fi
XORB_SERVICES="${XORB_SERVICES:-postgres redis temporal}" bash scripts/services.sh up
eval "$(bash scripts/services.sh env)"
export XORB_ENV="${XORB_ENV:-development}"
export DATABASE_URL="${DATABASE_URL:-$XORB_TEST_DATABASE_URL}"
export REDIS_URL="${REDIS_URL:-$XORB_TEST_REDIS_URL}"
export TEMPORAL_HOST="${TEMPORAL_HOST:-$XORB_TEST_TEMPORAL_ADDRESS}"
npm run --silent db:migrate
exec npm run --silent dev
