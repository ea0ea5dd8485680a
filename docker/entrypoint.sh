#!/bin/sh
# ENTRYPOINT of every XORB image, started by dumb-init (PID 1, forwards signals):
#   dumb-init -- /bin/sh /usr/local/bin/xorb-entrypoint <CMD...>
# It checks the container's surroundings, then `exec`s the command, so that node
# is dumb-init's direct child and receives SIGTERM from `docker stop` itself.
#   - no command, or only options (docker run IMAGE --inspect): run the app's node.
#   - any other command (sh, node -e ..., vitest ...): run it as given.
set -eu

# shellcheck disable=SC3028 # Docker sets HOSTNAME (the container id)
warn() { # one JSON log line on stderr, in the services' log shape
  printf '{"level":"WARN","timestamp":"%s","service":"%s","container_id":"%s","message":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" "${XORB_APP:-xorb}" "${HOSTNAME:-}" "$1" >&2
}

if [ "$#" -eq 0 ]; then
  set -- node --enable-source-maps main.js
elif [ "${1#-}" != "$1" ]; then
  set -- node "$@"
fi

if [ "$(id -u)" = 0 ]; then
  warn "running as root (UID 0): XORB images are meant to run as xorb (1000:1000); drop --user 0"
fi
# With a read-only root (docker run --read-only), only mounted paths are writable.
if [ ! -w "${TMPDIR:-/tmp}" ]; then
  warn "${TMPDIR:-/tmp} is not writable: with --read-only, mount a tmpfs there (--tmpfs /tmp)"
fi

exec "$@"
