# shellcheck shell=bash
# Helpers shared by the docker/ scripts. Source it; it defines functions only.

xorb_repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); }

# The Node version, from /.nvmrc (e.g. 24.21.0).
xorb_node_version() { tr -d 'v \n\r' < "$(xorb_repo_root)/.nvmrc"; }

# The base image every Dockerfile builds FROM, from docker/base.env (e.g. node:24.21.0-bookworm-slim).
xorb_base_image() {
  local template
  template="$(sed -n 's/^XORB_BASE_IMAGE=//p' "$(xorb_repo_root)/docker/base.env" | tail -n1)"
  [ -n "$template" ] || { echo "docker/base.env: XORB_BASE_IMAGE is not set" >&2; return 1; }
  printf '%s\n' "${template//\{node\}/$(xorb_node_version)}"
}

# The docker client with BuildKit built in. /usr/local/bin/docker (28.x) has no buildx
# plugin on these machines, so prefer Debian's /usr/bin/docker (20.10).
xorb_docker() {
  if [ -n "${XORB_DOCKER:-}" ]; then echo "$XORB_DOCKER"
  elif [ -x /usr/bin/docker ]; then echo /usr/bin/docker
  else command -v docker; fi
}
