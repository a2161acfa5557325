#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium (used by the Playwright browser tests
# through executable_path; `playwright install` cannot download browsers on these machines).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "[browser] $CHROMIUM present: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    cat >&2 <<MSG
[browser] ERROR: $CHROMIUM is missing and this script is not running as root.
[browser] Install it once as root, then re-run:
[browser]     sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core
MSG
    exit 1
fi

echo "[browser] $CHROMIUM missing: installing Debian's chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium fonts-dejavu-core

[ -x "$CHROMIUM" ] || { echo "[browser] ERROR: apt-get finished but $CHROMIUM is still missing" >&2; exit 1; }
echo "[browser] installed: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')"
