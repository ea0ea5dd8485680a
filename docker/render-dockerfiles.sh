#!/usr/bin/env bash
# Writes apps/<app>/Dockerfile for every app from docker/Dockerfile.template, with the
# base image of docker/base.env (Node version from .nvmrc).
#   docker/render-dockerfiles.sh           write them
#   docker/render-dockerfiles.sh --check   exit 1 (and show the diff) when one is out of date
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=docker/lib.sh
source "$HERE/lib.sh"
ROOT="$(xorb_repo_root)"
MODE="${1:-write}"

# app  port  (the ports are the config-manager defaults: API_PORT, ORCHESTRATOR_PORT, WORKER_PORT)
APPS=("api 8000" "orchestrator 8001" "worker 8002")
BASE_IMAGE="$(xorb_base_image)"

render() { # <app> <port>
  local app="$1" port="$2" description
  description="$(sed -n 's/^ *"description": *"\(.*\)",\{0,1\}$/\1/p' "$ROOT/apps/$app/package.json" | head -n1)"
  [ -n "$description" ] || description="XORB $app"
  # sed with a delimiter that appears in none of the values
  sed -e "s|@APP@|$app|g" -e "s|@PORT@|$port|g" -e "s|@BASE_IMAGE@|$BASE_IMAGE|g" \
      -e "s|@DESCRIPTION@|${description//|/-}|g" "$HERE/Dockerfile.template"
}

stale=0
for entry in "${APPS[@]}"; do
  read -r app port <<<"$entry"
  target="$ROOT/apps/$app/Dockerfile"
  case "$MODE" in
    write)
      render "$app" "$port" > "$target.tmp" && mv "$target.tmp" "$target"
      echo "wrote apps/$app/Dockerfile" ;;
    --check)
      if ! diff -u "$target" <(render "$app" "$port") >&2; then
        echo "apps/$app/Dockerfile is out of date: run docker/render-dockerfiles.sh" >&2
        stale=1
      fi ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
  esac
done
exit "$stale"
