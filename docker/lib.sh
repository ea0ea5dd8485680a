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

# Where the stand-in builds cache their root filesystems (~/.cache/xorb by default).
xorb_cache_dir() { printf '%s\n' "${XORB_CACHE_DIR:-${HOME:-/root}/.cache/xorb}"; }
# The Debian archive the stand-ins are built from.
xorb_debian_mirror() { printf '%s\n' "${XORB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"; }

# Installs debootstrap from the host's apt sources when it is missing (root only).
xorb_ensure_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  [ "$(id -u)" = 0 ] || { echo "debootstrap is not installed and needs root" >&2; return 1; }
  echo "[lib] apt-get install debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    debootstrap >/dev/null </dev/null ||
    { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        debootstrap >/dev/null; } </dev/null
}

# xorb_minbase_tar <suite>: prints the path of an uncompressed tar of
# `debootstrap --variant=minbase <suite>` (bookworm, trixie), slimmed like the official
# debian:<suite>-slim (no docs, man pages, locales, apt lists or cached .debs; dpkg told to
# keep it so) with the official image's deb822 sources (<suite>, -updates, -security).
# Cached at $XORB_CACHE_DIR/debian-minbase/<suite>.tar: built once (about a minute),
# then reused by every stand-in (docker/base-standin, docker/third-party-standins).
# XORB_MINBASE_REFRESH=1 rebuilds it. Progress goes to stderr.
xorb_minbase_tar() {
  local suite="${1:?xorb_minbase_tar: suite}" mirror cache tar work root s
  mirror="$(xorb_debian_mirror)"
  cache="$(xorb_cache_dir)/debian-minbase"
  tar="$cache/$suite.tar"
  if [ -s "$tar" ] && [ "${XORB_MINBASE_REFRESH:-0}" != 1 ]; then printf '%s\n' "$tar"; return 0; fi
  [ "$(id -u)" = 0 ] || { echo "xorb_minbase_tar: debootstrap needs root" >&2; return 1; }
  xorb_ensure_debootstrap || return 1
  mkdir -p "$cache" || return 1
  work="$(mktemp -d "${TMPDIR:-/var/tmp}/xorb-minbase.XXXXXX")" || return 1
  root="$work/rootfs"
  s=$SECONDS
  echo "[lib] debootstrap --variant=minbase $suite ($mirror)" >&2
  if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2; rm -rf "$work"
    echo "xorb_minbase_tar: debootstrap $suite failed (log above)" >&2; return 1
  fi
  # Slim it like debian:<suite>-slim (debuerreotype --slimify): dpkg will not install
  # docs, man pages or translations later either.
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
  printf '%s\n' \
    'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/linda/*' 'path-exclude /usr/share/lintian/*' \
    'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/man/*' \
    > "$root/etc/dpkg/dpkg.cfg.d/docker"
  printf '%s\n' 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/docker-no-languages"
  printf '%s\n' 'APT::AutoRemove::SuggestsImportant "false";' > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/{groff,info,linda,lintian,locale,man}/* \
         "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
         "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/var/cache/debconf/*-old \
         "$root"/etc/machine-id "$root"/etc/hostname "$root"/etc/resolv.conf
  : > "$root/etc/machine-id"
  # The sources of the official image (deb822), security updates included.
  rm -f "$root/etc/apt/sources.list"
  printf '%s\n' \
    'Types: deb' "URIs: ${mirror}" "Suites: $suite $suite-updates" 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' '' \
    'Types: deb' "URIs: ${mirror%/debian}/debian-security" "Suites: $suite-security" 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
    > "$root/etc/apt/sources.list.d/debian.sources"
  if ! tar -C "$root" --numeric-owner -cf "$tar.tmp.$$" .; then
    rm -rf "$work" "$tar.tmp.$$"; echo "xorb_minbase_tar: tar of $suite failed" >&2; return 1
  fi
  mv -f "$tar.tmp.$$" "$tar"
  rm -rf "$work"
  echo "[lib] $suite minbase cached at $tar ($((SECONDS - s))s, $(( $(stat -c %s "$tar") / 1000000 )) MB)" >&2
  printf '%s\n' "$tar"
}
