"""The ``simlib`` command: one module per command group."""
