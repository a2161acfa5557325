"""Words, tables, figures and rendered reports (notebooks, HTML, batches)."""
