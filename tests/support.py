"""Shared helpers of the simlib tests: the console script, data copies, small scenarios, stand-in notebooks."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SCENARIOS = ROOT / "scenarios"
SIMLIB = Path(sys.executable).parent / "simlib"  # the console script of the venv running the tests
SMALL_DRAWS = 200


def simlib_env(**extra: str) -> dict[str, str]:
    """The environment of a `simlib` subprocess: ours, without a data override unless given."""
    env = {k: v for k, v in os.environ.items() if k != "SIMLIB_DATA_DIR"}
    env.update(extra)
    return env


def _takes_ctrl_c() -> None:
    """``preexec_fn``: the command takes Ctrl-C as one started from a terminal does, also when the tests
    themselves run as a background job (``make test &``), whose children a shell starts with SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_simlib(args: list, cwd: Path, text: bool = True) -> subprocess.Popen:
    """Start the installed `simlib` command with ``args``, in ``cwd``, its output captured, for a test that
    signals it while it runs (Ctrl-C, SIGTERM): it takes SIGINT as from a terminal."""
    return subprocess.Popen(
        [str(SIMLIB), *map(str, args)],
        cwd=cwd,
        env=simlib_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=text,
        preexec_fn=_takes_ctrl_c,
    )


def run_simlib(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """Run the installed `simlib` command as a user would, in ``cwd``."""
    return subprocess.run(
        [str(SIMLIB), *map(str, args)], cwd=cwd, env=simlib_env(**env), capture_output=True, text=True, timeout=300
    )


@dataclass(frozen=True)
class Ran:
    """What a `simlib` command left for its user: exit code, standard output, standard error."""

    returncode: int
    stdout: str
    stderr: str


def simlib_in_process(args: list, cwd: Path, monkeypatch, capsys, **env: str) -> Ran:
    """Run `simlib ARGS` in this process as the console script would (``simlib.cli.main.main``), in
    ``cwd``, with the environment of ``run_simlib`` (no data override unless given): ``Ran`` has what
    a subprocess would show. An exception that escapes ``main`` is a crash: exit code 1 and its
    traceback on stderr, as Python prints it; warnings are printed on stderr as Python does."""
    import traceback
    import warnings

    from simlib.cli.main import main

    capsys.readouterr()  # what earlier steps of the test printed is not this command's
    with monkeypatch.context() as patch, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        patch.chdir(cwd)
        patch.delenv("SIMLIB_DATA_DIR", raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        crash = ""
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's --help and --version
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 - what the user would see: a traceback, exit 1
            code, crash = 1, traceback.format_exc()
    out, err = capsys.readouterr()
    shown = "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught)
    return Ran(code, out, shown + err + crash)


def listing(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``directory`` with its size and modification time."""
    out = {}
    for path in sorted(directory.rglob("*")):
        st = path.stat()
        out[str(path.relative_to(directory))] = (st.st_size if path.is_file() else -1, st.st_mtime_ns)
    return out


def copy_data(target: Path) -> Path:
    """A private copy of data/ that a test may break."""
    shutil.copytree(DATA, target)
    return target


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def find_row(path: Path, **match: str) -> int:
    """File row number (header = 1) of the first data row whose columns equal ``match``."""
    header, rows = read_csv(path)
    for n, row in enumerate(rows, start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return n
    raise AssertionError(f"no row {match} in {path.name}")


def set_cells(path: Path, row: int, **cells: str) -> None:
    """Overwrite cells of file row ``row`` (header = 1), by column name."""
    header, rows = read_csv(path)
    for col, value in cells.items():
        rows[row - 2][header.index(col)] = value
    write_csv(path, header, rows)


def append_row(path: Path, **cells: str) -> None:
    """Add a data row; columns not given are left empty."""
    header, rows = read_csv(path)
    assert set(cells) <= set(header), set(cells) - set(header)
    write_csv(path, header, rows + [[cells.get(col, "") for col in header]])


def clear_caches() -> None:
    """Forget every cached dataset, reconstruction, field and run context."""
    from simlib.engine import data, positions, projection

    data._cached.cache_clear()
    getattr(data, "_last_check", {}).clear()
    getattr(data, "_WITHOUT", {}).clear()
    getattr(data, "_CONSOLIDATED", {}).clear()
    positions._absolute_errors.cache_clear()
    positions._predicted_position.cache_clear()
    projection.clear_caches()


def small(**fields):
    """A validated scenario with few draws (defaults: Hà Nội, 2024 → 2030, seed 7)."""
    from simlib.engine.scenario import Scenario

    return Scenario.from_dict({"draws": SMALL_DRAWS, "seed": 7, **fields})


def write_batch_folder(folder: Path, results, summary, failed: str, error: str) -> None:
    """A batch output folder as `simlib batch` writes it: summary.csv (plus one failed
    scenario named ``failed``) and each result's results.csv in its own folder."""
    summary = summary.copy()
    summary.loc[len(summary)] = {**summary.iloc[0].to_dict(), "scenario": failed, "status": "failed", "error": error}
    summary.to_csv(folder / "summary.csv", index=False)
    for r in results:
        r.write_csv(folder / r.scenario.name / "results.csv")


# --------------------------------------------------------------------------- stand-in report notebooks

FAILING_CELL = 3  # index of the raising cell in the failing stand-in notebook


def standin(path: Path, fail: bool = False) -> None:
    """A report notebook honouring the parameters contract: scenario → results_csv and a figure."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from simlib.engine import levers

    lever_lines = "\n".join(f"{name} = None" for name in levers.names())
    params = (
        f'scenario_file = ""\nscenario_data = None\nfocal = None\nbaseline_year = None\nhorizon = None\n'
        f"target_year = None\n{lever_lines}\nothers_fee_waiver_share = None\ndraws = None\nseed = None\n"
        'lang = "vi"\nresults_csv = ""'
    )
    lever_args = ", ".join(f"{name}={name}" for name in levers.names())
    cells = [
        new_markdown_cell("# Báo cáo kịch bản"),
        new_code_cell(params, metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from simlib.engine.scenario_parameters import from_parameters\nfrom simlib.engine.simulate import run\n"
            "scenario = from_parameters(scenario_file, scenario_data=scenario_data, focal=focal, "
            "baseline_year=baseline_year, "
            "horizon=horizon, target_year=target_year, others_fee_waiver_share=others_fee_waiver_share, "
            f"draws=draws, seed=seed, {lever_args})\n"
            "result = run(scenario)\nif results_csv:\n    result.write_csv(results_csv)"
        ),
        new_code_cell(
            "%matplotlib inline\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
            "ax.plot(result.years, result.arrays['par_score'].mean(axis=0))\n"
            "ax.set_xlabel('Năm')\nplt.show()"
        ),
    ]
    if fail:
        cells.insert(FAILING_CELL, new_code_cell("raise ValueError('stand-in failure')"))
    nb = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def leftovers(directory: Path) -> list[str]:
    """Temporary files or folders anywhere under ``directory``."""
    return [str(p) for p in directory.rglob("*") if re.search(r"\.(tmp|old)-\d+-", p.name) or p.suffix == ".tmp"]


# --------------------------------------------------------------------------- numbers a Vietnamese reader sees

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_VI_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")  # 1.229 and 12.345,6: thousands in Vietnamese


def decimal_points(text: str) -> list[str]:
    """Every number of ``text`` written with a decimal point (``\\d.\\d``), with a little context: in
    Vietnamese there must be none (89,6 — the one formatter, ``simlib.reports.numbers``). A point that
    groups thousands as Vietnamese does (1.229, 12.345,6) is not one; 0.620 or 1.25 is."""
    return [
        text[max(0, m.start() - 30) : m.end() + 30]
        for m in _NUMBER.finditer(text)
        if "." in m.group(0) and not _VI_GROUPED.fullmatch(m.group(0))
    ]


def figure_texts(fig) -> list[str]:
    """Every text a figure shows once drawn: titles, labels, tick labels, offsets, legends, colour bars."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # drawn as savefig draws it: tick labels are made at draw time
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def visible_html_text(page: str) -> str:
    """What a reader sees of an HTML page: no tags, attributes, scripts, styles or embedded images."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    import html

    return html.unescape(page)
