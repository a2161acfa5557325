"""The last few results of an analysis of one scenario, kept per process.

A report's notebook and the leaders' files written right after it in the same kernel ask for
the same decomposition and league table of the same scenario; the second asks costs nothing.
Results are keyed by the scenario's content (``Scenario.to_dict``), the other arguments and the
data files' identity (folder and hashes, as ``data.cached_per_dataset``), so another scenario,
year or data folder is computed afresh. Callers treat what they get as read-only (it is shared).
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from ..engine import data

if TYPE_CHECKING:
    from ..engine.scenario import Scenario


def per_scenario(maxsize: int = 2):
    """Decorate ``fn(scenario, *args)`` (hashable ``args``) to remember its last ``maxsize`` results."""

    def decorate(fn):
        recent: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(scenario: Scenario, *args):
            ds = data.load()
            key = (
                str(ds.directory),
                tuple(sorted(ds.file_hashes.items())),
                json.dumps(scenario.to_dict(), sort_keys=True),
                args,
            )
            with lock:
                if key in recent:
                    recent.move_to_end(key)
                    return recent[key]
            value = fn(scenario, *args)
            with lock:
                recent[key] = value
                while len(recent) > maxsize:
                    recent.popitem(last=False)
            return value

        wrapper.cache_clear = recent.clear  # type: ignore[attr-defined]  # as functools.lru_cache offers it
        return wrapper

    return decorate
