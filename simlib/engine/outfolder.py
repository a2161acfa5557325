"""The one rule of every command that writes an output folder (run, batch, grid, sensitivity, target,
league --out, results whats-new; a frozen forecast's folder in the user data folder; anything that writes
a folder for a user). A single file added to the user data folder (``userdata.add``) follows the same
rule at the size of a file: the folder locked (``atomic.output_lock``), the file written aside and renamed
into place (``atomic.write_text``).

1. **Refuse a folder it did not make**: ``--out`` may be a new path, an empty folder, or an earlier
   output of the same kind (its ``manifest.json`` says ``kind``); a file, a symbolic link, the root of
   the file system, a folder of someone's files or another kind of output is refused before any work,
   with nothing changed (``problems``).
2. **Lock**: one command writes a folder at a time, and none writes a folder inside, or around, a
   folder another command is writing (``atomic.output_lock``).
3. **Write into a temporary folder** beside the target (``.NAME.tmp-PID-XXXX``), never into the
   target itself.
4. **Swap it in whole** (``atomic.move_into_place``): readers see the earlier output or the new one,
   never a mix; what a user added to an earlier output (notes, a folder of their own) is carried over.

An interrupted or failed command leaves the earlier output as it was::

    for issue in outfolder.problems(out, "simlib-grid"): ...        # with the command's other checks
    with outfolder.writing(out, "simlib-grid") as draft:              # lock + temporary folder
        atomic.write_text(draft.path / "grid.csv", text)
        draft.publish({"kind": "simlib-grid", ...})                   # manifest.json, then the swap
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import atomic
from .errors import Issue, short

MANIFEST = "manifest.json"
MAX_NAME_BYTES = 200  # a folder's own name: its temporary sibling adds ~25 bytes to the 255 allowed

KIND_WORDS = {
    "simlib-report": "report",
    "simlib-batch": "batch",
    "simlib-grid": "grid",
    "sensitivity": "sensitivity analysis",
    "simlib-target": "target search",
    "simlib-league": "league table",
    "simlib-whatsnew": "what's-new report",
    "simlib-forecast": "frozen forecast",
}


def manifest_kind(folder: Path) -> str | None:
    """The ``kind`` of ``folder/manifest.json`` ('' if it is not a simlib manifest, None if none)."""
    import json

    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        kind = json.loads(path.read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return ""
    return kind if isinstance(kind, str) else ""


def problems(out, kind: str, option: str = "--out", swap: bool = True, probe: bool = True) -> list[Issue]:
    """Why ``out`` may not be written as an output of ``kind`` (empty if it may). ``swap``: the command
    replaces the folder whole (its temporary folder is made beside it); a batch writes inside it.
    ``probe``: also try writing a file where the output goes (``write_problem``)."""
    path = Path(out)
    absolute = Path(os.path.abspath(path))
    words = KIND_WORDS.get(kind, kind)
    if absolute.parent == absolute:
        return [
            Issue(option, str(out), f"a new folder, or an earlier {words} folder (not the root of the file system)")
        ]
    if len(os.fsencode(absolute.name)) > MAX_NAME_BYTES:
        return [Issue(option, str(out), f"a folder name of at most {MAX_NAME_BYTES} bytes")]
    if path.is_symlink():
        return [
            Issue(
                option,
                str(out),
                f"a folder, not a symbolic link (give the folder it points to: {short(path.resolve())})",
            )
        ]
    if path.exists() and not path.is_dir():
        return [Issue(option, str(out), "a directory path (this is a file)")]
    if path.is_dir() and any(path.iterdir()):
        found = manifest_kind(path)
        if found != kind:
            held = (
                f"a {KIND_WORDS[found]} output's manifest.json" if found in KIND_WORDS else "files simlib did not write"
            )
            return [
                Issue(
                    option,
                    str(out),
                    f"a new or empty folder, or an earlier {words} folder (this one holds {held}; nothing was changed)",
                )
            ]
    problem = write_problem(absolute.parent if swap else absolute, option, shown=str(out)) if probe else None
    return [problem] if problem else []


def write_problem(out, option: str = "--out", shown: str | None = None) -> Issue | None:
    """A problem if nothing can be written at ``out`` (read-only folder or disk, no permission).

    Probes by creating and removing a temporary file in ``out``, or in its nearest existing parent
    when ``out`` does not exist yet (nothing is created there)."""
    path = Path(out).absolute()
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    shown = str(out) if shown is None else shown
    if not probe.is_dir():
        return Issue(option, shown, f"a path inside a directory ({short(probe)} is a file)")
    try:
        handle, name = tempfile.mkstemp(dir=probe, prefix=".simlib-probe-")
        os.close(handle)
        os.unlink(name)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Issue(option, shown, f"a directory you may write in ({short(probe)}: {reason})")
    return None


class Draft:
    """The temporary folder a command writes its output into (``path``), then ``publish``es."""

    def __init__(self, path: Path, target: Path):
        self.path, self.target, self.published = path, target, False

    def publish(self, manifest: dict | None = None, ours: tuple[str, ...] = ()) -> dict:
        """List the files written, carry over what a user added to the earlier output, write
        ``manifest.json`` (with ``files`` and ``kept``) and swap the folder in whole. ``ours``: names an
        earlier output of this kind may hold that the new one replaces even if it did not write them."""
        manifest = dict(manifest or {})
        files = sorted(p.name for p in self.path.iterdir() if p.name != MANIFEST) + [MANIFEST]
        manifest.update(files=files, kept=carry_over(self.target, self.path, ours))
        atomic.write_json(self.path / MANIFEST, manifest)
        atomic.move_into_place(self.path, self.target)
        self.published = True
        return manifest

    def swap(self, replace: bool = True) -> None:
        """Move the folder in as it is, for an output that carries its own record instead of
        ``manifest.json`` (a frozen forecast's forecast.json). ``replace=False``: a record that must never
        be overwritten; a folder already at the target (checked under the lock) is a FileExistsError."""
        if not replace and self.target.exists():
            raise FileExistsError(str(self.target))
        atomic.move_into_place(self.path, self.target)
        self.published = True


@contextlib.contextmanager
def writing(out, kind: str, option: str = "--out") -> Iterator[Draft]:
    """Lock ``out`` (``atomic.output_lock``: an InputError naming the holder if another command writes
    it, or a folder around or inside it) and give a temporary folder beside it; ``Draft.publish`` swaps
    it in. Leaving the block without publishing (an error, Ctrl-C) removes the temporary folder and
    leaves the earlier output as it was. Check ``problems`` first."""
    target = Path(os.path.abspath(out))
    with atomic.output_lock(target, option, shown=str(out)):
        atomic.clean_stale(target.parent, target.name)
        tmp = atomic.temp_dir(target)
        draft = Draft(tmp, target)
        try:
            yield draft
        finally:
            if tmp.exists():  # not published (or published and the old folder not yet removed)
                shutil.rmtree(tmp, ignore_errors=True)


def carry_over(target: Path, tmp: Path, ours: tuple[str, ...] = ()) -> list[str]:
    """Copy into the new folder ``tmp`` whatever the earlier output at ``target`` holds that simlib did
    not write (a user's NOTES.txt, a mydata/ folder), so replacing an output never deletes them; return
    their names. Copies, not moves: until the new folder is in place the old one stays whole. simlib's
    own files are those the earlier manifest lists, ``ours``, and whatever the new output holds."""
    import json

    if not target.is_dir():
        return []
    try:
        earlier = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = {}
    listed = earlier.get("files") if isinstance(earlier, dict) else None
    simlib_files = {MANIFEST, *ours, *(str(f) for f in (listed or []) if isinstance(listed, list))}
    kept = []
    for entry in sorted(target.iterdir()):
        if entry.name in simlib_files or (tmp / entry.name).exists() or entry.name.startswith(".simlib-"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, tmp / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, tmp / entry.name, follow_symlinks=False)
        kept.append(entry.name)
    return kept
