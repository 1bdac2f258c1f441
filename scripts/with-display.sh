#!/usr/bin/env sh
# Runs a command with a display: the Electron smoke test needs one on Linux. Without DISPLAY (CI,
# a server) it uses Xvfb when installed; elsewhere it runs the command as it is.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a "$@"
fi
exec "$@"
