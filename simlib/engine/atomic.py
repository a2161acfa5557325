"""Writes that never leave a half-written file or folder behind.

A file or folder is first written next to its target under a hidden name that carries
the writing process's id (``.NAME.tmp-PID-XXXX``), then renamed into place in one step.
An interrupted writer leaves only such a temporary, which ``clean_stale`` removes once
its process is gone.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Callable

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-[0-9a-f]+(?P<ext>\.[A-Za-z]+)?$")


def temp_name(target: Path, kind: str = "tmp", suffix: str = "") -> Path:
    """A hidden sibling of ``target`` named after this process (``suffix`` keeps an extension)."""
    return target.with_name(f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}{suffix}")


def write_with(path: str | Path, write: Callable[[Path], None], suffix: str = "") -> None:
    """Call ``write(tmp)`` to fill a temporary sibling, then move it onto ``path``.

    For writers that need a file name (e.g. ``Figure.savefig``); the file gets a normal
    file's permissions.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path, suffix=suffix)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, obj) -> None:
    """Write ``obj`` as indented JSON (UTF-8, non-ASCII kept) atomically."""
    write_text(path, json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n")


def temp_dir(target: Path) -> Path:
    """A new empty hidden folder next to ``target``, to be moved in by ``move_into_place``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(target)
    tmp.mkdir()
    return tmp


def move_into_place(tmp: Path, target: Path) -> None:
    """Replace ``target`` (if any) by the finished folder ``tmp``.

    The old folder is moved aside first and deleted after; if the process dies between
    the two renames, ``clean_stale`` puts the old one back.
    """
    if target.exists():
        old = temp_name(target, kind="old")
        os.rename(target, old)
        os.rename(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, target)


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:  # gone since the signal, unless there is no /proc at all
        return not os.path.isdir("/proc")
    except (OSError, IndexError):
        return True


def clean_stale(parent: Path, name: str | None = None) -> list[Path]:
    """Remove temporaries left in ``parent`` by writers whose process is gone.

    ``name`` limits the clean-up to the temporaries of ``parent / name``. A folder moved
    aside (``.old-``) whose replacement never arrived is put back.
    """
    removed = []
    if not parent.is_dir():
        return removed
    for entry in sorted(parent.iterdir()):
        m = _TEMP.match(entry.name)
        if not m or (name and m["name"] != name) or alive(int(m["pid"])):
            continue
        if not entry.is_dir():  # a file left by an interrupted write
            entry.unlink(missing_ok=True)
            removed.append(entry)
            continue
        target = parent / m["name"]
        if m["kind"] == "old" and not target.exists():
            os.rename(entry, target)
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed
