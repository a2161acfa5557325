"""Numbers built on the engine: comparisons, grids, sensitivity, target search, backtests.

Returns data; words and figures live in ``simlib.reports``.
"""
