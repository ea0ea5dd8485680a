# shellcheck shell=bash
# Finding a Go toolchain for the tools built from Go modules (the Temporal CLI in
# services.sh; Compose v2, the docker CLI and the registry in install-tools.sh).
# Sourced; callers define CACHE_DIR. XORB_GO=fetch forces the cached toolchain,
# any other XORB_GO names a go binary to use.

# The toolchain fetched from the Go module proxy when the machine has no usable go.
GO_FALLBACK_VERSION="go1.26.8"

go_usable() { # go >= 1.21 can fetch the toolchain a module asks for
  local v; v="$("$1" env GOVERSION 2>/dev/null)" || return 1
  v="${v#go}"
  [ "$(printf '%s\n1.21\n' "${v%%[-+ ]*}" | sort -V | head -n1)" = 1.21 ]
}

find_go() {
  local g
  case "${XORB_GO:-}" in
    fetch) g="$CACHE_DIR/$GO_FALLBACK_VERSION/go/bin/go"; [ -x "$g" ] && go_usable "$g" && { echo "$g"; return 0; }; return 1 ;;
    ?*) echo "$XORB_GO"; return 0 ;;
  esac
  for g in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go "$CACHE_DIR/$GO_FALLBACK_VERSION/go/bin/go"; do
    [ -n "$g" ] && [ -x "$g" ] && go_usable "$g" && { echo "$g"; return 0; }
  done
  return 1
}
