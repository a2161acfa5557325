"""The ``simlib`` command: levers, project, field, backtest (and the batch commands).

User errors (bad scenario, bad option, broken data file) exit with code 2 and a
message naming each bad field, its value and what is allowed — never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine.errors import InputError, Issue, short
from ..runs.executor import ClusterLost
from . import analysis, batch, evaluate, forecast, interrupted, league, results
from .formats import FORMATS, render


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option as an InputError (exit 2, no usage dump)."""

    def error(self, message: str):
        raise InputError(Issue(self.prog, message, "see `" + self.prog + " --help`"), context="command line")


INT_OPTIONS = {"draws": (10, 100_000), "seed": (0, 2**32 - 1), "year": (1900, 2100), "workers": (1, 8)}


def check_options(args) -> None:
    """Turn whole-number options into ints, reporting every bad one at once."""
    issues = []
    for name, (lo, hi) in INT_OPTIONS.items():
        value = getattr(args, name, None)
        if value is None:
            continue
        try:
            x = int(value)
            ok = lo <= x <= hi
        except ValueError:
            ok = False
        if not ok:
            issues.append(Issue(f"--{name}", value, f"a whole number from {lo} to {hi}"))
        else:
            setattr(args, name, x)
    if issues:
        raise InputError(issues, context="command line")


def cmd_levers(args) -> int:
    from ..engine import levers
    from ..engine.errors import ScenarioError
    from ..engine.scenario import Scenario

    try:  # a unit of the 2025 field (the scenario's rule and message), else exit 2
        Scenario.from_dict({"focal": args.focal})
    except ScenarioError as exc:
        raise InputError([Issue("--focal", i.value, i.allowed) for i in exc.issues], context="command line") from None
    rows = levers.registry_rows(args.focal)
    cols = [
        "lever",
        "label_vi",
        "label_en",
        "unit",
        "min_pct",
        "max_pct",
        "current_pct",
        "current_year",
        "current_status",
        "current_count",
        "total",
        "total_year",
        "source",
    ]
    print(render(rows, cols, args.format, digits=1))
    return 0


def cmd_project(args) -> int:
    from ..engine.result import COLUMNS
    from ..engine.scenario import load_scenario
    from ..engine.simulate import context_of, run
    from ..runs.progress import Progress

    scenario = load_scenario(args.scenario, args.draws, args.seed)
    show = Progress("project", "steps (the field's draws, then the levers' effects)")
    context_of(scenario)  # the long step at many draws; cached, so run() reuses it
    show(1, 2)
    result = run(scenario)
    show(2, 2)
    show.end()
    print(render(result.rows(), list(COLUMNS), args.format))
    return 0


def cmd_field(args) -> int:
    from ..analysis import fieldtable

    rows = fieldtable.rows(args.index, args.year)
    print(render(rows, ["province_slug", "score", "rank", "status", "low", "high"], args.format, digits=2))
    return 0


def cmd_backtest(args) -> int:
    from ..analysis import backtest

    bt = backtest.run(args.index, args.year)
    print(render(bt.rows, ["province_slug", "published", "p05", "p50", "p95", "naive"], args.format, digits=2))
    words = sys.stdout if args.format == "table" else sys.stderr  # --format csv/json: the table alone
    print(file=words)
    print("\n".join(bt.summary_lines()), file=words)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="simlib", description="Project SIPAS and PAR Index scores and ranks under reform levers.")
    parser.add_argument("--version", action="version", version=f"simlib {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("levers", help="the lever registry with the focal unit's current values")
    p.add_argument("--focal", default="ha-noi", help="unit slug (default ha-noi)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_levers)
    p = sub.add_parser("project", help="project one scenario file")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--draws", help="Monte-Carlo draws (10–100000)")
    p.add_argument("--seed", help="random seed")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_project)
    p = sub.add_parser("field", help="a year's whole field: published and reconstructed scores")
    p.add_argument("--index", required=True, choices=("PAR", "SIPAS"))
    p.add_argument("--year", required=True)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_field)
    p = sub.add_parser("backtest", help="project a published year from the years before it")
    p.add_argument("--index", required=True, choices=("PAR", "SIPAS"))
    p.add_argument("--year", required=True)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_backtest)
    for module in (batch, analysis, league, evaluate, results, forecast):  # commands that live in their own modules
        module.register(sub)
    return parser


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def quiet_threads() -> None:
    """A library's own thread that fails (a Jupyter kernel's heartbeat channel when its kernel is stopped
    after a full disk) prints one line, not a traceback: the command says what went wrong itself."""
    import threading

    def hook(args) -> None:
        if args.exc_type is SystemExit or args.exc_type.__module__.startswith("zmq"):
            return  # a kernel's channel closed under it: the command reports the cause
        name = getattr(args.thread, "name", "a thread")
        print(f"warning: {name} stopped ({args.exc_type.__name__}: {short(str(args.exc_value))})", file=sys.stderr)

    threading.excepthook = hook


def _where(exc: OSError, args) -> str:
    """Where a write failed, as the user knows it: the file named by the error (a temporary sibling
    named as what it becomes), else the command's output folder, else standard output."""
    from ..engine import atomic

    if getattr(exc, "filename", None):
        return f" ({short(Path(atomic.shown_path(exc.filename)))})"
    out = getattr(args, "out", None)
    return f" (in {short(Path(out))})" if out else " (standard output)"


def main(argv: list[str] | None = None) -> int:
    """Run one ``simlib`` command; exit 0 done, 1 a run failed (its manifest says why), 2 bad input
    or an output that cannot be written, 130 interrupted (Ctrl-C or SIGTERM) — never a traceback."""
    import signal
    import threading

    from ..engine import atomic

    atomic.INTERRUPTED.clear()
    args = None
    quiet_threads()
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    ):
        signal.signal(signal.SIGINT, atomic.interrupt)  # Ctrl-C as before, and recorded
    try:
        try:
            args = build_parser().parse_args(argv)
            check_options(args)
            code = args.func(args)
            sys.stdout.flush()
            return code
        except Exception:
            if atomic.INTERRUPTED.is_set():  # a library turned the interrupt into another exception
                raise KeyboardInterrupt from None
            raise
    except InputError as exc:
        print(f"error: {exc.message()}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `simlib ... | head`: the reader has gone
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        _silence_stdout()
        print(interrupted.MESSAGE, file=sys.stderr)
        return interrupted.EXIT
    except ClusterLost as exc:  # --scheduler: the cluster went away mid-run
        print(f"error: {exc}; nothing more was written", file=sys.stderr)
        return 1
    except OSError as exc:  # an output folder on a full or read-only disk, stdout to /dev/full, ...
        _silence_stdout()
        print(f"error: could not write the output{_where(exc, args)}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        if signal.getsignal(signal.SIGINT) is atomic.interrupt:
            signal.signal(signal.SIGINT, signal.default_int_handler)


if __name__ == "__main__":
    sys.exit(main())
