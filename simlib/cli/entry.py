"""The ``simlib`` console script. Ctrl-C while Python is still loading the command (about half a second
of imports, longer on a busy machine) ends it as an interruption like any other: one line and exit
code 130, never a traceback (``main.main`` handles it once the command runs)."""

from __future__ import annotations

import sys

from . import interrupted


def main() -> int:
    try:
        from .main import main as run_command

        return run_command()
    except KeyboardInterrupt:
        print(interrupted.MESSAGE, file=sys.stderr)
        return interrupted.EXIT


if __name__ == "__main__":
    sys.exit(main())
