"""Running reports: notebooks executed in kept kernels, HTML export, leaders' files, batches and their executors.

Above ``simlib.reports`` (whose words, tables and figures the notebooks call) and below ``app`` and ``cli``.
"""
