"""The lever explorer panel (ipywidgets, Voilà) and its shareable links."""
