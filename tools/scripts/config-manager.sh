#!/usr/bin/env bash
# Validate or print the XORB configuration as the services would read it.
#   ./tools/scripts/config-manager.sh validate production
#   ./tools/scripts/config-manager.sh print development
#   ./tools/scripts/config-manager.sh settings
# Reads the current environment, /run/secrets (or XORB_SECRETS_DIR), *_FILE variables and Vault.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/node-env.sh source-path=SCRIPTDIR/../..
source "${repo_root}/scripts/node-env.sh"

tsx_bin="${repo_root}/node_modules/.bin/tsx"
if [ ! -x "$tsx_bin" ]; then
  echo "config-manager: ${tsx_bin} is missing: run npm ci in ${repo_root}" >&2
  exit 127
fi
exec "$tsx_bin" "${repo_root}/libs/config-manager/src/cli.ts" "$@"
