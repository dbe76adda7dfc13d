#!/usr/bin/env bash
# Install Debian's PostgreSQL server for the store and scaling tests (pytest marker `postgres`).
# The tests start their own server (initdb + pg_ctl in a temporary folder on a loopback port);
# the cluster the package may create is not used.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends postgresql
