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
import threading
from collections.abc import Callable
from pathlib import Path

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
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise named(exc, path, tmp) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def shown_path(path) -> str:
    """``path`` as the user knows it: a temporary sibling (``.NAME.tmp-PID-XXXX``) anywhere in it is
    written as the file or folder it becomes (``NAME``)."""
    parts = []
    for part in Path(path).parts:
        m = _TEMP.match(part)
        parts.append(m["name"] if m else part)
    return str(Path(*parts)) if parts else str(path)


def named(exc: OSError, path: Path, tmp: Path | None = None) -> OSError:
    """``exc`` naming the file the user asked for: a write that fails half-way (a full disk) raises
    an OSError without a file name, and one on a temporary sibling names that hidden file."""
    if exc.filename and str(exc.filename) != str(tmp):
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


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
    """Replace ``target`` (if any) by the finished folder ``tmp``, safe when several processes do it.

    On Linux the two folders are swapped in one step (``renameat2`` with ``RENAME_EXCHANGE``):
    ``target`` always names a complete folder, and the old one, now under ``tmp``'s hidden
    name, is deleted after (or by ``clean_stale`` if this process dies first). Where the
    filesystem cannot swap (e.g. NFS), the old folder is moved aside and the new one moved in
    while holding a lock beside the target, so concurrent writers take turns.
    """
    tmp, target = Path(tmp), Path(target)
    while True:
        try:
            _rename(tmp, target, _RENAME_EXCHANGE)
        except FileNotFoundError:
            if not tmp.exists():
                raise
            try:  # no target yet: move in, unless another writer got there first
                _rename(tmp, target, _RENAME_NOREPLACE)
                return
            except FileExistsError:
                continue  # swap with the one that just arrived
        except _Unsupported:
            _move_aside_and_in(tmp, target)
            return
        shutil.rmtree(tmp, ignore_errors=True)  # the old folder
        return


_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2


class _Unsupported(Exception):
    """This platform or filesystem cannot rename with flags."""


def _renameat2():
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_RENAMEAT2 = _renameat2() if os.name == "posix" else None
_AT_FDCWD = -100


def _rename(src: Path, dst: Path, flags: int) -> None:
    """``renameat2(src, dst, flags)``; FileNotFoundError/FileExistsError as os.rename gives them,
    _Unsupported where the call or the flag is not available."""
    import ctypes
    import errno

    if _RENAMEAT2 is None:
        raise _Unsupported
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        raise _Unsupported
    raise OSError(err, os.strerror(err), str(src), None, str(dst))


def _move_aside_and_in(tmp: Path, target: Path) -> None:
    """The two-rename replacement, one writer at a time (a lock file beside ``target``)."""
    with _flocked(target.with_name(f".{target.name}.swap-lock"), wait=True):
        old = None
        if target.exists():
            old = temp_name(target, kind="old")
            os.rename(target, old)
        os.rename(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ----------------------------------------------------------------------------- one writer per folder


class FolderLocked(Exception):
    """Another live process holds the lock of a folder; ``pid`` and ``info`` say which."""

    def __init__(self, folder: Path, lock: Path, info: dict, held: Path | None = None):
        self.folder, self.lock, self.info = folder, lock, info
        self.held = folder if held is None else held  # the folder being written: ``folder``, or one around or in it
        self.pid = info.get("pid")
        super().__init__(f"{self.held} is being written by process {self.pid}")

    def relation(self) -> str:
        """How the folder being written relates to the one asked for: itself, around it, or inside it."""
        if self.held == self.folder:
            return "it is"
        if self.folder.is_relative_to(self.held):
            return f"the folder around it, {self.held}, is"
        return f"a folder inside it, {self.held}, is"

    def holder(self) -> str:
        """One line naming the holder: PID, command and start time, as far as known."""
        i = self.info
        parts = [f"process {i.get('pid', '?')}"]
        if i.get("host"):
            parts.append(f"on {i['host']}")
        if i.get("command"):
            parts.append(f"({' '.join(str(a) for a in i['command'])[:120]})")
        if i.get("since"):
            parts.append(f"since {i['since']}")
        return " ".join(parts)


def lock_path(folder: Path) -> Path:
    """The lock file of an output folder: a hidden sibling ``.NAME.lock``.

    Beside the folder, not in it: a report folder is replaced as a whole (``move_into_place``
    swaps it with its finished copy, itself a hidden sibling), and a lock inside would leave
    with the old folder while the run still writes. The lock file lives only while its
    command runs: it is removed on every way out (done, failed, Ctrl-C, SIGTERM); one left by
    ``kill -9`` names a dead process and is taken over by the next writer."""
    folder = Path(os.path.abspath(folder))
    return folder.with_name(f".{folder.name}.lock")


class _flocked:
    """An exclusive ``flock`` on ``path``, created if needed and removed on release.

    The kernel drops the lock when its process dies, so a lock file left by a dead process
    is simply taken over. After locking, the file must still be the one at ``path``
    (another holder may have removed it meanwhile); otherwise try again.
    """

    def __init__(
        self,
        path: Path,
        wait: bool = False,
        record: dict | None = None,
        folder: Path | None = None,
        nested: bool = False,
    ):
        self.path, self.wait, self.record, self.fd = Path(path), wait, record, None
        self.folder = folder if folder is not None else self.path
        self.nested = nested  # also refuse while a folder around or inside ``folder`` is locked
        self.created: list[Path] = []  # folders made to hold the lock file, deepest first

    def __enter__(self):
        try:
            self._take()
        except BaseException:
            self._remove_created()
            raise
        if self.nested:  # checked once ours is held: of two commands starting together, one sees the other
            other = _nested_holder(self.folder, self.path)
            if other is not None:
                self.__exit__(None, None, None)
                raise FolderLocked(self.folder, other[0], other[1], held=other[2])
        return self

    def _take(self):
        import fcntl

        self.created = _missing_folders(self.path.parent)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
            except BlockingIOError:
                info = _read_lock(fd)
                os.close(fd)
                raise FolderLocked(self.folder, self.path, info) from None
            except BaseException:
                os.close(fd)
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self.fd = fd
        if self.record is not None:
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(self.record, ensure_ascii=False) + "\n").encode(), 0)
        return self

    def __exit__(self, *exc):
        try:
            os.unlink(self.path)  # while still holding it: a waiting process then sees a new file
        except FileNotFoundError:
            pass
        os.close(self.fd)
        self.fd = None
        self._remove_created()
        return False

    def _remove_created(self) -> None:
        """Remove the folders made for the lock file that are still empty (nothing was written)."""
        for folder in self.created:
            try:
                folder.rmdir()
            except OSError:  # not empty (the output was written there), or gone
                break
        self.created = []


def _held_by_another(lock: Path) -> dict | None:
    """The record of lock file ``lock`` if another live process holds it (None if free, gone or ours)."""
    import fcntl

    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return None
    try:
        info = _read_lock(fd)
        if info.get("pid") == os.getpid():
            return None  # this process's own lock (a batch writing its reports)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return info
        except OSError:
            return None
        return None
    finally:
        os.close(fd)  # closing drops the shared lock taken to test it


def _nested_holder(folder: Path, own: Path) -> tuple[Path, dict, Path] | None:
    """(lock file, its record, the folder it locks) of a folder around ``folder`` or inside it that
    another command is writing; None if there is none. ``own``: this command's lock file."""
    for around in folder.parents:
        if around.parent == around:
            break
        info = _held_by_another(lock_path(around))
        if info is not None:
            return lock_path(around), info, around
    if folder.is_dir():
        for root, dirs, files in os.walk(folder):
            for name in files:
                if name.startswith(".") and name.endswith(".lock"):
                    lock = Path(root) / name
                    info = _held_by_another(lock)
                    if info is not None and lock != own:
                        return lock, info, Path(root) / name[1 : -len(".lock")]
            dirs[:] = [d for d in dirs if not _TEMP.match(d)]  # a temporary folder is its writer's own
    return None


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its ancestors that do not exist yet, deepest first."""
    missing = []
    folder = Path(os.path.abspath(folder))
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _read_lock(fd: int) -> dict:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        info = json.loads(text)
        return info if isinstance(info, dict) else {}
    except (OSError, ValueError):
        return {}


def lock_folder(folder: str | Path, command: list[str] | None = None) -> _flocked:
    """Context manager: this process is the one writer of output folder ``folder``.

    Writes ``{"pid", "host", "command", "since"}`` into the lock file (``lock_path``); a
    second writer gets FolderLocked naming the first. A lock left by a process that has
    died is taken over (the lock itself is the kernel's and ends with its process).
    """
    import socket
    import sys
    from datetime import datetime

    folder = Path(os.path.abspath(folder))
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": list(command if command is not None else [Path(sys.argv[0]).name, *sys.argv[1:]]),
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        "folder": str(folder),
    }
    return _flocked(lock_path(folder), record=record, folder=folder, nested=True)


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
            try:
                _rename(entry, target, _RENAME_NOREPLACE)
                continue
            except _Unsupported:
                os.rename(entry, target)
                continue
            except OSError:  # a new one arrived meanwhile: the old one is not needed
                pass
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


INTERRUPTED = threading.Event()
"""Set once the command was asked to stop (Ctrl-C or SIGTERM). NumPy turns an exception raised inside
some of its operations (a comparison of structured arrays in ``np.unique(axis=...)``) into a
``TypeError``; the command's last handler reads this to still exit as interrupted."""


def interrupt(signum=None, frame=None):
    """A signal handler that records the request to stop, then stops as Ctrl-C does."""
    INTERRUPTED.set()
    raise KeyboardInterrupt


def _terminated(signum, frame):
    """SIGTERM ends a command holding an output folder as Ctrl-C does: its lock file and
    temporaries are removed on the way out."""
    interrupt(signum, frame)


def output_lock(folder: str | Path, option: str = "--out", shown: str | None = None):
    """``lock_folder`` for a command's output folder: a held lock becomes an InputError (exit 2)
    naming the holder (the folder as the user gave it: ``shown``), with nothing written. Take it only once
    the input is validated: the folders it makes to hold the lock file are removed again if the command
    writes nothing."""
    import contextlib

    from .errors import InputError, Issue

    @contextlib.contextmanager
    def held():
        import signal
        import threading

        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
        try:
            try:
                lock = lock_folder(folder).__enter__()
            except FolderLocked as exc:
                raise InputError(
                    Issue(
                        option,
                        str(folder) if shown is None else shown,
                        f"a folder no other simlib command is writing; {exc.relation()} "
                        f"being written by {exc.holder()} (lock file {exc.lock}); wait until that "
                        "ends or choose another folder",
                    ),
                    context="command line",
                ) from None
            try:
                yield lock
            finally:
                lock.__exit__(None, None, None)
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)

    return held()
