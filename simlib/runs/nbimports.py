"""nbformat, papermill and nbconvert imported without the optional grammar that makes them slow."""

from __future__ import annotations

import sys


def skip_iri_grammar() -> None:
    """Keep ``rfc3987_syntax`` out of this process unless it is there already: jsonschema (under
    nbformat and papermill) imports it for its IRI format checks, building a grammar that takes
    1.1–1.7 s at import, and nbformat validates notebooks without format checks, so nothing here
    uses it. Called before nbformat is first imported by the report code."""
    if "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # an import of it raises ImportError, which jsonschema expects
