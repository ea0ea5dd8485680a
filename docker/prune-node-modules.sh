#!/bin/sh
# Removes from a PRODUCTION node_modules what never runs there. Used by the
# prod-deps stage of every Dockerfile: sh prune-node-modules.sh <node_modules dir>
#   - @temporalio/core-bridge ships prebuilt binaries for five platforms (~140 MB)
#     and its Rust sources: keep only this platform's binary.
#   - TypeScript sources and declarations, source maps of dependencies, Markdown.
#     Licence files stay.
set -eu
dir="${1:?usage: prune-node-modules.sh <node_modules dir>}"
[ -d "$dir" ] || { echo "prune-node-modules: $dir is not a directory" >&2; exit 1; }

bridge="$dir/@temporalio/core-bridge"
if [ -d "$bridge" ]; then
  keep="$(cd "$bridge" && node -p "require('./common').getPrebuiltTargetName()")"
  [ -f "$bridge/releases/$keep/index.node" ] ||
    { echo "prune-node-modules: no prebuilt core bridge for $keep" >&2; exit 1; }
  for release in "$bridge"/releases/*; do
    [ "${release##*/}" = "$keep" ] || rm -rf "$release"
  done
  rm -rf "$bridge/sdk-core" "$bridge/src" "$bridge/bridge-macros" "$bridge/scripts" \
         "$bridge/Cargo.toml" "$bridge/Cargo.lock"
fi

find "$dir" -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' \
  -o -name '*.md' -o -name '*.markdown' -o -name '*.tsbuildinfo' \) \
  ! -iname 'licen[cs]e*' -delete
find "$dir" -depth -type d -empty -delete
