#!/usr/bin/env bash
# The one test command: starts the real services on loopback (scripts/services.sh),
# points the harness at them and runs every test suite. Extra arguments go to vitest,
# e.g. `./scripts/test.sh --project api`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
if [ ! -d node_modules ]; then npm ci --no-fund --no-audit; fi
bash scripts/services.sh up
bash scripts/install-tools.sh
eval "$(bash scripts/services.sh env)"
exec npm test -- "$@"
