"""Progress of a batch: a live bar on a terminal, plain lines in logs and CI.

On a terminal (``stream.isatty()``): a tqdm bar with done/total, the ok and failed counts,
the elapsed time and an ETA; a failure is also printed as a line above the bar. Elsewhere:
one line per finished task, ``[3/7] all_levers ok 4.1 s``.
"""
from __future__ import annotations

from .render import one_line


class Progress:
    def __init__(self, total: int, stream=None, live: bool | None = None):
        self.total, self.done, self.failed, self.stream = total, 0, 0, stream
        if live is None:
            live = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.bar = None
        if live and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=stream, unit="report", dynamic_ncols=True, smoothing=0.1,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]")

    def note(self, line: str) -> None:
        """A line for the reader (the executor, the dashboard's address), above the bar if any."""
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
            tail = f"ok {duration:.1f} s" if duration is not None else "ok"
        else:
            err = item.error or {}
            where = f" in cell {err['cell_index']}" if err.get("cell_index") is not None else ""
            secs = f" {duration:.1f} s" if duration is not None else ""
            tail = f"failed{secs}{where}: {err.get('ename')}: {one_line(err.get('evalue'))}"
        line = f"[{self.done}/{self.total}] {item.name} {tail}"
        if self.bar is None:
            print(line, file=self.stream, flush=True)
            return
        if item.status != "ok":
            self.bar.write(line, file=self.stream)
        self.bar.set_postfix_str(f"ok {self.done - self.failed}, failed {self.failed}, "
                                 f"left {self.total - self.done}", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
