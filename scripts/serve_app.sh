#!/usr/bin/env bash
# Serve the lever explorer as a web page (Voilà) on this machine only: 127.0.0.1.
#
#   bash scripts/serve_app.sh              # http://127.0.0.1:8866/
#   PORT=8870 MAX_KERNELS=4 bash scripts/serve_app.sh
#
# A link with a query string opens the panel with exactly those settings, so a planner can
# share a scenario (the panel's "copy link" button gives the full link):
#   http://127.0.0.1:8866/?simplification=0.6&delegation=0.5@2026&lang=en
# One kernel is kept pre-heated (the panel already drawn) so a visit shows the panel in about
# a second; at most MAX_KERNELS kernels run at once (default 8, ≈ 135 MB each), beyond that a
# visit gets a "server busy" page; a kernel whose page has been closed is stopped after
# CULL seconds idle (default 120). Only requests addressed to 127.0.0.1/localhost are answered.
# The page needs no internet access. See simlib/app/server.py.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8866}"
MAX_KERNELS="${MAX_KERNELS:-8}"
CULL="${CULL:-120}"
PYTHON=.venv/bin/python

[ -x "$PYTHON" ] || { echo "[app] ERROR: $PYTHON is missing: run 'make setup' first" >&2; exit 1; }
bad=0
for pair in "PORT=$PORT" "MAX_KERNELS=$MAX_KERNELS" "CULL=$CULL"; do
    value="${pair#*=}"
    case "$value" in
        ''|*[!0-9]*)
            [ "${#value}" -le 40 ] || value="${value:0:40}…"   # a value is shown short
            echo "[app] ERROR: ${pair%%=*} must be a whole number, got '$value'" >&2; bad=1 ;;
    esac
done
[ "$bad" = 0 ] || exit 2   # every bad value reported at once

echo "[app] lever explorer: http://127.0.0.1:${PORT}/   (Ctrl+C stops it)"
echo "[app] at most ${MAX_KERNELS} kernels; closed pages' kernels stop after ${CULL} s idle"
exec "$PYTHON" -m simlib.app.server notebooks/lever_explorer.ipynb --port "$PORT" \
    --max-kernels "$MAX_KERNELS" --cull "$CULL"
