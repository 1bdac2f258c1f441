#!/usr/bin/env bash
# Sets up a fresh machine: Debian's Chromium and Xvfb for the window tests (when missing), curl
# for the vendor-command check, then the npm packages exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if command -v apt-get >/dev/null 2>&1; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
