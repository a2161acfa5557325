"""Progress of long runs on stderr, in two forms, each written once here.

- ``Progress``: the steps of one computation (sensitivity, grid, target, project): nothing for
  the first seconds, then where it is and how long is left. On a terminal one line is rewritten
  in place; otherwise (a log file, a pipe) a plain line every few seconds, so that a log shows
  the run is alive without flooding it.
- ``ReportProgress``: the reports of a batch: on a terminal a tqdm bar with done/total, the ok
  and failed counts, the elapsed time and an ETA (a failure is also printed as a line above the
  bar); elsewhere one line per finished report, ``[3/7] all_levers ok 4.1 s``.
"""

from __future__ import annotations

import sys
import time

from ..engine.safetext import printable

QUIET_S = 2.0  # a run shorter than this shows nothing
EVERY_S_TERMINAL, EVERY_S_PLAIN = 0.5, 10.0


def is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (a live line or bar) rather than a log or a pipe (plain lines)."""
    return bool(getattr(stream, "isatty", lambda: False)())


class Progress:
    """``progress(done, total)`` → ``sensitivity: 1,520 / 4,096 sample rows (37%), about 40 s left``."""

    def __init__(self, label: str, unit: str, stream=None, quiet_s: float | None = None, lang: str = "en"):
        self.label, self.unit, self.lang = label, unit, lang
        self.stream = sys.stderr if stream is None else stream
        self.terminal = is_terminal(self.stream)
        self.every = EVERY_S_TERMINAL if self.terminal else EVERY_S_PLAIN
        self.quiet_s = QUIET_S if quiet_s is None else quiet_s
        self.started = time.monotonic()
        self.last = None  # time of the last line
        self.open_line = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total != getattr(self, "total", None):  # a new stage: its own rate, nothing shown yet
            self.total, self.first, self.shown = total, (now, done), False
        if now - self.started < self.quiet_s or (done >= total and not self.shown):
            return  # a short run (or a short stage) shows nothing
        if self.last is not None and now - self.last < self.every and done < total:
            return
        self.last, self.shown = now, True
        from ..reports.i18n import say

        share = done / total if total else 1.0
        (t0, _), rate_n = self.first, done - self.first[1]
        left = (now - t0) * (total - done) / rate_n if rate_n > 0 and now > t0 else None
        tail = (
            say("progress_left", self.lang, left=_duration(left, self.lang))
            if left is not None and done < total
            else ""
        )
        line = say(
            "progress_line", self.lang, label=self.label, done=done, total=total, unit=self.unit, share=100 * share
        )
        line += tail
        if self.terminal:
            self.stream.write("\r" + line + "\033[K")
            self.open_line = True
            if done >= total:
                self.end()
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        """Close the rewritten line on a terminal (before other output)."""
        if self.open_line:
            self.stream.write("\n")
            self.stream.flush()
            self.open_line = False


def _duration(seconds: float, lang: str = "en") -> str:
    from ..reports.i18n import say

    seconds = max(0, int(round(seconds)))
    if seconds < 90:
        return say("progress_s", lang, n=seconds)
    if seconds < 5400:
        return say("progress_min", lang, n=round(seconds / 60))
    return say("progress_h", lang, n=seconds / 3600)


class ReportProgress:
    """``progress(item, seconds)`` after each report of a batch: a bar on a terminal, else a line
    per report (``[3/7] all_levers ok 4.1 s``)."""

    def __init__(self, total: int, stream=None, live: bool | None = None):
        self.total, self.done, self.failed, self.stream = total, 0, 0, stream
        if live is None:
            live = stream is not None and is_terminal(stream)
        self.bar = None
        if live and total:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                file=stream,
                unit="report",
                dynamic_ncols=True,
                smoothing=0.1,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]",
            )

    def note(self, line: str) -> None:
        """A line for the reader (the executor, the dashboard's address), above the bar if any."""
        line = printable(line)
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        elif self.stream is not None:
            print(line, file=self.stream, flush=True)

    def __call__(self, item, duration: float | None = None) -> None:
        self.done += 1
        if item.status != "ok":
            self.failed += 1
        if self.stream is None:
            return
        if item.resumed:
            tail = "skipped (done earlier, same inputs)"
        elif item.status == "ok":
            from .render import leader_failures

            tail = f"ok {duration:.1f} s" if duration is not None else "ok"
            missing = leader_failures(getattr(item, "manifest", None))
            if missing:  # a leaders' file could not be written: said, not hidden behind "ok"
                tail += " (not written: " + "; ".join(missing) + ")"
        else:
            from .render import one_line  # render is slow to import; a computation's Progress needs none of it

            err = item.error or {}
            where = f" in cell {err['cell_index']}" if err.get("cell_index") is not None else ""
            secs = f" {duration:.1f} s" if duration is not None else ""
            tail = f"failed{secs}{where}: {err.get('ename')}: {one_line(err.get('evalue'))}"
        line = printable(f"[{self.done}/{self.total}] {item.name} {tail}")  # a name never acts on the terminal
        if self.bar is None:
            print(line, file=self.stream, flush=True)
            return
        if item.status != "ok":
            self.bar.write(line, file=self.stream)
        self.bar.set_postfix_str(
            f"ok {self.done - self.failed}, failed {self.failed}, left {self.total - self.done}", refresh=False
        )
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
