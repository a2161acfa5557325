"""Words, tables, figures and documents (one-pager, workbook, PDF printing); running them is ``simlib.runs``."""
