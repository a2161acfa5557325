"""Progress of a long run on stderr: nothing for the first seconds, then where it is and how long is left.

On a terminal one line is rewritten in place; otherwise (a log file, a pipe) a plain line is
written every few seconds, so that a log shows the run is alive without flooding it.
"""
from __future__ import annotations

import sys
import time

QUIET_S = 2.0  # a run shorter than this shows nothing
EVERY_S_TERMINAL, EVERY_S_PLAIN = 0.5, 10.0


class Progress:
    """``progress(done, total)`` → ``sensitivity: 1,520 / 4,096 sample rows (37%), about 40 s left``."""

    def __init__(self, label: str, unit: str, stream=None, quiet_s: float | None = None):
        self.label, self.unit = label, unit
        self.stream = sys.stderr if stream is None else stream
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
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
        share = done / total if total else 1.0
        (t0, done0), rate_n = self.first, done - self.first[1]
        left = (now - t0) * (total - done) / rate_n if rate_n > 0 and now > t0 else None
        tail = f", about {_duration(left)} left" if left is not None and done < total else ""
        line = f"{self.label}: {done:,} / {total:,} {self.unit} ({100 * share:.0f}%){tail}"
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


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
