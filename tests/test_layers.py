"""The package is a one-way stack: engine ← analysis ← reports ← runs ← app ← cli.

Read from the source (ast), so an import made inside a function or through importlib with a
literal name counts too. Words (``simlib.reports.i18n``) are never imported below reports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import simlib

LAYERS = ("engine", "analysis", "reports", "runs", "app", "cli")
PACKAGE = Path(simlib.__file__).resolve().parent
# Imports that still cross the rule, each to be removed (the test also fails when one is gone).
KNOWN_CROSSINGS: set[tuple[str, str]] = set()


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root_package: Path = PACKAGE) -> set[str]:
    """Absolute names of the simlib modules (or packages) that a file imports."""
    name = module_name(path, root_package)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                root = ".".join(base + ([node.module] if node.module else []))
            else:
                root = node.module or ""
            if not root.startswith("simlib"):
                continue
            for alias in node.names:  # `from .x import y`: y may be a module
                candidate = f"{root}.{alias.name}"
                found.add(candidate if (root_package.parent / (candidate.replace(".", "/") + ".py")).exists() else root)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("simlib"))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return found


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def crossings(package: Path = PACKAGE) -> set[tuple[str, str]]:
    out = set()
    for path in sorted(package.rglob("*.py")):
        importer = module_name(path, package)
        own = layer(importer)
        if own is None:
            continue
        for target in imported_modules(path, package):
            theirs = layer(target)
            if theirs is not None and theirs > own:
                out.add((importer, target))
    return out


def test_every_module_lives_in_a_layer():
    loose = [module_name(p) for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == [], f"modules outside engine/analysis/reports/runs/app/cli: {loose}"


def test_imports_only_go_down_the_stack():
    found = crossings()
    new = found - KNOWN_CROSSINGS
    assert not new, "imports against the one-way stack (engine ← analysis ← reports ← runs ← app ← cli):\n" + "\n".join(
        f"  {a} imports {b}" for a, b in sorted(new)
    )
    gone = KNOWN_CROSSINGS - found
    assert not gone, f"no longer crossing, remove from KNOWN_CROSSINGS: {sorted(gone)}"


def test_the_checker_sees_a_crossing(tmp_path):
    """The checker itself: a relative import from engine up into reports is found."""
    package = tmp_path / "simlib"
    for sub in ("engine", "reports"):
        (package / sub).mkdir(parents=True)
        (package / sub / "__init__.py").write_text("")
    (package / "reports" / "i18n.py").write_text("")
    (package / "engine" / "probe.py").write_text("def f():\n    from ..reports import i18n\n")
    assert crossings(package) == {("simlib.engine.probe", "simlib.reports.i18n")}


# The engine's arithmetic behind the one door (``simlib.engine.simulate``): nothing above the engine
# calls it directly.
AROUND_THE_DOOR = ("projection.context", "projection.Context", "outcome_arrays", "_slug_in")
DOOR_EXEMPT: set[str] = set()


def calls_around_the_door(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        if layer(name) in (None, 0) or name in DOOR_EXEMPT:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            found.extend(f"{name}:{lineno}: {word}" for word in AROUND_THE_DOOR if word in code)
    return found


def test_every_caller_goes_through_the_one_door():
    assert calls_around_the_door() == []


def test_the_door_checker_sees_a_caller(tmp_path):
    package = tmp_path / "simlib"
    (package / "analysis").mkdir(parents=True)
    (package / "analysis" / "probe.py").write_text(
        "from ..engine import projection\nctx = projection.context('ha-noi', 2024, 2030, 10, 1)\n"
    )
    assert calls_around_the_door(package) == ["simlib.analysis.probe:2: projection.context"]


def import_cycles(package: Path = PACKAGE) -> list[list[str]]:
    """Cycles in the graph of simlib's modules importing each other (any import, in functions too)."""
    graph = {}
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        graph[name] = {t for t in imported_modules(path, package) if t != name}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


# Cycles that still exist (hidden by an import inside a function), each to be removed (the test also
# fails when one is gone): the modules of each cycle, sorted.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


def test_modules_import_each_other_plainly_and_without_cycles():
    hidden = [
        module_name(p)
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "import_module" in p.read_text(encoding="utf-8")
    ]
    assert hidden == [], f"imports the import graph cannot see (importlib): {hidden}"
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    cycles = {tuple(sorted(set(c))) for c in import_cycles() if not set(c) & packages}
    new = cycles - KNOWN_CYCLES
    assert not new, "import cycles: " + "; ".join(" ↔ ".join(c) for c in sorted(new))
    assert not KNOWN_CYCLES - cycles, f"no longer a cycle, remove from KNOWN_CYCLES: {sorted(KNOWN_CYCLES - cycles)}"


def test_the_cycle_checker_sees_a_cycle(tmp_path):
    package = tmp_path / "simlib"
    (package / "cli").mkdir(parents=True)
    (package / "cli" / "__init__.py").write_text("")
    (package / "cli" / "main.py").write_text("from . import extra\n")
    (package / "cli" / "extra.py").write_text("def f():\n    from .main import g\n")
    assert import_cycles(package) == [["simlib.cli.extra", "simlib.cli.main", "simlib.cli.extra"]]


# Bands and medians of draws are taken by simlib.engine.stats (ranks as whole ranks), nowhere else;
# a module that still takes its own is listed here until it is moved onto stats.
BAND_EXEMPT = {"simlib.engine.stats"}
KNOWN_OWN_BANDS: set[str] = set()
BAND_CALLS = ("np.percentile(", "np.median(", "np.quantile(", "np.nanpercentile(", "np.nanmedian(")


def own_bands(package: Path = PACKAGE) -> set[str]:
    found = set()
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        code = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
        if name not in BAND_EXEMPT and any(call in code for call in BAND_CALLS):
            found.add(name)
    return found


def test_bands_only_through_stats():
    found = own_bands()
    assert not found - KNOWN_OWN_BANDS, f"bands taken outside simlib.engine.stats: {sorted(found - KNOWN_OWN_BANDS)}"
    assert not KNOWN_OWN_BANDS - found, (
        f"now through stats, remove from KNOWN_OWN_BANDS: {sorted(KNOWN_OWN_BANDS - found)}"
    )


# A module name means one thing: the same name in two layers only for the command of that name (cli).
SAME_ROLE = {"batch": {"runs", "cli"}, "league": {"analysis", "cli"}}


def repeated_module_names(package: Path = PACKAGE) -> dict[str, set[str]]:
    layers_of: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        name = module_name(path, package)
        if path.name != "__init__.py" and layer(name) is not None:
            layers_of.setdefault(path.stem, set()).add(name.split(".")[1])
    return {stem: found for stem, found in layers_of.items() if len(found) > 1}


def test_no_module_name_is_repeated_across_layers():
    repeated = {stem: found for stem, found in repeated_module_names().items() if SAME_ROLE.get(stem) != found}
    assert not repeated, f"module names in more than one layer: {repeated}"


def test_the_name_checker_sees_a_repeat(tmp_path):
    package = tmp_path / "simlib"
    for sub in ("analysis", "reports"):
        (package / sub).mkdir(parents=True)
        (package / sub / "__init__.py").write_text("")
        (package / sub / "target.py").write_text("")
    assert repeated_module_names(package) == {"target": {"analysis", "reports"}}


# Code is sent to a notebook kernel only as a call by name of a function of simlib.runs.kernel_state
# (``kernels.call_code``): an import the graph above sees, not a string that hides one.
KERNEL_CALLER = "simlib.runs.kernels"


def code_written_as_text(package: Path = PACKAGE) -> list[str]:
    """Where a string holds Python that imports by name (``__import__(``), outside ``KERNEL_CALLER``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "__import__(" in node.value:
                if name != KERNEL_CALLER:
                    found.append(f"{name}:{node.lineno}")
    return found


def test_kernels_are_sent_calls_by_name_the_import_graph_sees():
    assert code_written_as_text() == []
    graph = {module_name(p): imported_modules(p) for p in PACKAGE.rglob("*.py")}
    assert "simlib.runs.kernel_state" in graph[KERNEL_CALLER]  # the functions a kernel is asked to call
    assert "simlib.runs.kernel_state" in graph["simlib.runs.render"]  # the report's leaders' files


def test_the_code_string_checker_sees_one(tmp_path):
    package = tmp_path / "simlib"
    (package / "runs").mkdir(parents=True)
    (package / "runs" / "__init__.py").write_text("")
    (package / "runs" / "probe.py").write_text("CODE = f\"__import__('simlib.x').y({1})\"\n")
    assert code_written_as_text(package) == ["simlib.runs.probe:1"]
