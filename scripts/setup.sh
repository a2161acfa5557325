#!/usr/bin/env bash
# Create/refresh the project's virtualenv in .venv (idempotent).
#
#   bash scripts/setup.sh            # or: make setup
#   PYTHON=python3.11 bash scripts/setup.sh
#   SIMLIB_SETUP_FORCE=1 bash scripts/setup.sh   # reinstall even if nothing changed
#
# Needs only Python >= 3.11 with venv/ensurepip and access to PyPI. Upgrades nothing
# it does not have to: pip is left as the venv ships it, and `pip install -e ".[test]"`
# is skipped when pyproject.toml is unchanged since the last successful install.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
PY="${PYTHON:-python3}"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
STAMP="$VENV/.simlib-setup.stamp"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$PY" >/dev/null 2>&1 || die "'$PY' not found; install Python 3.11+ or set PYTHON=/path/to/python3.11"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die "$("$PY" -V 2>&1) is too old; simlib needs Python >= 3.11 (set PYTHON=...)"
[ -f "$ROOT/simlib/__init__.py" ] \
    || die "simlib/__init__.py not found in $ROOT: nothing to install"

# 1. The virtualenv.
if [ -x "$VPY" ] && "$VPY" -c 'import sys, pip; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then
    say "using existing $VENV ($("$VPY" -V 2>&1))"
else
    if [ -e "$VENV" ]; then
        say "$VENV is broken or too old: recreating it with $PY ($("$PY" -V 2>&1))"
        "$PY" -m venv --clear "$VENV"
    else
        say "creating $VENV with $PY ($("$PY" -V 2>&1))"
        "$PY" -m venv "$VENV"
    fi
    rm -f "$STAMP"
fi

# 2. The project and its dependencies (editable, with the test extras).
want_stamp="$("$VPY" - <<'PYEOF'
import hashlib, sys
h = hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest()
print(f"{h} {sys.version.split()[0]}")
PYEOF
)"
have_stamp="$(cat "$STAMP" 2>/dev/null || true)"
if [ "${SIMLIB_SETUP_FORCE:-0}" != "1" ] && [ "$want_stamp" = "$have_stamp" ] \
    && "$VPY" -c 'import importlib.metadata as m; m.version("simlib")' >/dev/null 2>&1; then
    say "simlib and its dependencies already installed (pyproject.toml unchanged): skipping pip"
else
    say "pip install -e \".[test]\" into $VENV (this takes ~1 min on a fresh venv)"
    rm -f "$STAMP"
    "$VPY" -m pip install -q --disable-pip-version-check -e ".[test]"
    "$VPY" -m pip check >/dev/null || { "$VPY" -m pip check; die "pip check found broken requirements"; }
    printf '%s\n' "$want_stamp" > "$STAMP"
    say "installed simlib $("$VPY" -c 'import importlib.metadata as m; print(m.version("simlib"))')"
fi

# 3. The python3 kernelspec, pointing at the venv's interpreter explicitly.
KSPEC="$VENV/share/jupyter/kernels/python3/kernel.json"
if [ -f "$KSPEC" ] && "$VPY" - "$KSPEC" "$VPY" <<'PYEOF'
import json, os, sys
spec = json.load(open(sys.argv[1]))
sys.exit(0 if os.path.abspath(spec["argv"][0]) == os.path.abspath(sys.argv[2]) else 1)
PYEOF
then
    say "kernelspec python3 already points at $VPY"
else
    say "registering kernelspec python3 -> $VPY"
    "$VPY" -m ipykernel install --sys-prefix --name python3 >/dev/null
fi

say "done"
