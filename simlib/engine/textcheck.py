"""Whether a text a user typed (a scenario's name, title, description) may travel everywhere it goes:
file names, a terminal, a workbook, a PDF, HTML and a link.

A lone surrogate passes YAML and Python strings but cannot be written as UTF-8; a control character
(NUL, ESC, …) can retitle a terminal and is refused by a workbook. Both are refused here, with the
position of the first one, so the message names what to remove.
"""

from __future__ import annotations

import unicodedata

LINE_BREAKS = "\n\r\t"  # allowed in a multi-line text (a description), never in a one-line one


def problem(text: str, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` in words ('a control character U+001B at position 4'), or None."""
    allowed = LINE_BREAKS if multiline else ""
    for i, ch in enumerate(text):
        if ch in allowed:
            continue
        category = unicodedata.category(ch)
        if category == "Cs":
            return f"a lone surrogate U+{ord(ch):04X} at position {i + 1} (not encodable as UTF-8)"
        if category == "Cc":
            return f"a control character U+{ord(ch):04X} at position {i + 1}"
    return None


def allowed_words(limit: int, multiline: bool = False, non_empty: bool = False) -> str:
    """What such a text may be, for an error message."""
    breaks = " (line breaks and tabs allowed)" if multiline else ""
    what = "a non-empty text" if non_empty else "a text"
    return f"{what} of at most {limit} characters, without control characters{breaks}, encodable as UTF-8"
