"""The model: levers → drivers → components → index → field → rank, over arrays of draws.

Reads data, never words: nothing here imports ``simlib.analysis``, ``reports``, ``runs``, ``app`` or ``cli``.
"""
