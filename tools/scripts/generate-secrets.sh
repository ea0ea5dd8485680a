#!/usr/bin/env bash
# Generates the Docker secret files of docker-compose.production.yml (see secrets/README.md).
#
# Usage: tools/scripts/generate-secrets.sh [--dir DIR] [--domain NAME] [--force] [--list]
#   --dir DIR      where to write them (default: <repo>/secrets, git-ignored)
#   --domain NAME  host name of the self-signed TLS certificate (default: localhost)
#   --force        replace existing files (default: keep them, create only missing ones)
#   --list         print the secret names, one per line, and exit
#
# Only missing files are created, so running it again never rotates a secret by
# accident. Values are never printed; the ops password for the nginx ops server is in
# DIR/ops_password (not mounted in any container). Needs openssl.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$repo_root/secrets"
domain="localhost"
force=0

# name|kind. Kinds: password (40 chars), key (64 chars), tls (certificate + key),
# htpasswd (nginx basic auth of user "ops" + its plain password in ops_password).
SECRETS=(
  "postgres_password|password"
  "redis_password|password"
  "jwt_secret|key"
  "api_key_pepper|key"
  "grafana_admin_password|password"
  "nginx_tls_certificate|tls"
  "nginx_tls_private_key|tls"
  "nginx_ops_htpasswd|htpasswd"
)

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { printf 'generate-secrets: %s\n' "$*" >&2; exit 1; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --dir) [ "$#" -ge 2 ] || die "--dir needs a value"; dir="$2"; shift 2 ;;
    --domain) [ "$#" -ge 2 ] || die "--domain needs a value"; domain="$2"; shift 2 ;;
    --force) force=1; shift ;;
    --list) for s in "${SECRETS[@]}"; do echo "${s%%|*}"; done; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

command -v openssl >/dev/null || die "openssl is required (apt-get install openssl)"
case "$domain" in *[!A-Za-z0-9.-]*|"") die "--domain must be a host name, got '$domain'" ;; esac

umask 077
mkdir -p "$dir"
chmod 700 "$dir"

# Letters and digits only: safe in URLs, shells, YAML and config files.
random_text() { # <length>
  local out=""
  while [ "${#out}" -lt "$1" ]; do
    out+="$(openssl rand -base64 96 | LC_ALL=C tr -dc 'A-Za-z0-9')"
  done
  printf '%s' "${out:0:$1}"
}

# Containers read the files through bind mounts (compose) as their own non-root users,
# so the files are world-readable and the directory (700) is what keeps other host
# users out. On Swarm the files are copied into the cluster's encrypted store.
install_file() { # <name> <tmpfile>
  chmod 644 "$2"
  mv -f "$2" "$dir/$1"
}

exists() { [ -s "$dir/$1" ] && [ "$force" = 0 ]; }

created=()
kept=()
tmp="$(mktemp -d "$dir/.generate.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

for entry in "${SECRETS[@]}"; do
  name="${entry%%|*}"
  kind="${entry##*|}"
  case "$kind" in
    password | key)
      if exists "$name"; then kept+=("$name"); continue; fi
      if [ "$kind" = password ]; then random_text 40 >"$tmp/$name"; else random_text 64 >"$tmp/$name"; fi
      install_file "$name" "$tmp/$name"
      created+=("$name")
      ;;
    tls)
      [ "$name" = nginx_tls_certificate ] || continue # the pair is made once, below
      if exists nginx_tls_certificate && exists nginx_tls_private_key; then
        kept+=(nginx_tls_certificate nginx_tls_private_key)
        continue
      fi
      san="DNS:$domain"
      [ "$domain" = localhost ] || san="$san,DNS:localhost"
      san="$san,IP:127.0.0.1"
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
        -days 397 -subj "/CN=$domain/O=XORB self-signed" -addext "subjectAltName=$san" \
        -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
        -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 ||
        die "openssl could not create the self-signed certificate"
      install_file nginx_tls_private_key "$tmp/key.pem"
      install_file nginx_tls_certificate "$tmp/cert.pem"
      created+=(nginx_tls_certificate nginx_tls_private_key)
      ;;
    htpasswd)
      if exists "$name" && [ -s "$dir/ops_password" ]; then kept+=("$name"); continue; fi
      random_text 32 >"$tmp/ops_password"
      # SHA-512 crypt: understood by nginx on glibc (Debian) and musl (Alpine) alike.
      hash="$(openssl passwd -6 -stdin <"$tmp/ops_password")" || die "openssl passwd failed"
      printf 'ops:%s\n' "$hash" >"$tmp/$name"
      install_file "$name" "$tmp/$name"
      mv -f "$tmp/ops_password" "$dir/ops_password"
      chmod 600 "$dir/ops_password"
      created+=("$name")
      ;;
  esac
done

[ "${#created[@]}" -eq 0 ] || printf 'created: %s\n' "${created[*]}"
[ "${#kept[@]}" -eq 0 ] || printf 'kept (use --force to replace): %s\n' "${kept[*]}"
printf 'secrets directory: %s\n' "$dir"
