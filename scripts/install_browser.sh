#!/usr/bin/env bash
# Install Debian's Chromium and CJK fonts for the browser tests (tests/web/test_browser.py).
# Playwright drives /usr/bin/chromium; `playwright install` is never used (it downloads its own build).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium fonts-noto-cjk
