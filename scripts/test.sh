#!/usr/bin/env bash
# Install everything the tests need into .venv (and Debian's Chromium for the browser test,
# Debian's PostgreSQL for the `postgres` tests),
# then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/install_browser.sh
bash scripts/install_postgres.sh
.venv/bin/python -m pytest "$@"
