#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when missing and when we are root.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
# the reverse proxy setup measured by tests/live/test_compat.py
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
