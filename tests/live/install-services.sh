#!/bin/sh
# Install the services the live suite needs (PostgreSQL, Redis, nginx) from the distribution,
# when they are missing. Debian/Ubuntu only; does nothing unless run as root.
# The services are not configured here: tests/live/stack.py starts the PostgreSQL cluster if
# it is down and runs its own redis-server on a free 127.0.0.1 port.
set -eu

missing=""
command -v pg_lsclusters >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
    || missing="$missing postgresql"
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] \
    || missing="$missing redis-server"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"

if [ -z "$missing" ]; then
    echo "postgresql, redis-server and nginx are installed"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "missing:$missing; run this script as root (or install them yourself)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing:$missing; apt-get not found, install them with your package manager" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
echo "installed:$missing"
