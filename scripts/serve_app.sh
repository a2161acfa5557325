#!/usr/bin/env bash
# Serve the lever explorer as a web page (Voilà) on this machine only: 127.0.0.1.
#
#   bash scripts/serve_app.sh              # http://127.0.0.1:8866/
#   PORT=8870 bash scripts/serve_app.sh
#
# A link with a query string opens the panel with those values, so a planner can share
# a scenario:  http://127.0.0.1:8866/?simplification=0.6&delegation=0.5&lang=en
# Every page visit runs the notebook in its own kernel; a kernel whose page has been
# closed is stopped after 10 minutes idle. The page needs no internet access.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8866}"
VOILA=.venv/bin/voila

[ -x "$VOILA" ] || { echo "[app] ERROR: $VOILA is missing: run 'make setup' first" >&2; exit 1; }
case "$PORT" in
    ''|*[!0-9]*) echo "[app] ERROR: PORT must be a number, got '$PORT'" >&2; exit 2 ;;
esac

echo "[app] lever explorer: http://127.0.0.1:${PORT}/   (Ctrl+C stops it)"
echo "[app] a shareable link: http://127.0.0.1:${PORT}/?simplification=0.6&delegation=0.5&lang=en"
exec "$VOILA" notebooks/lever_explorer.ipynb --no-browser --port="$PORT" --Voila.ip=127.0.0.1 \
    --Voila.port_retries=0 --show_tracebacks=False \
    --MappingKernelManager.cull_idle_timeout=600 --MappingKernelManager.cull_interval=60
