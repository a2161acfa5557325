"""Text a user types that will reach a terminal, a file name, a CSV, a workbook or a page.

Such text must be encodable as UTF-8 (no lone surrogate, which YAML or a decoder may let through)
and hold no control characters (an ESC rewrites a terminal; a NUL or a line break splits a CSV
row or a file name). ``problem`` says what is wrong with a text, ``None`` when it is fine.
Escaping for HTML happens where words become markup (``html.escape``), not here.
"""

from __future__ import annotations

import unicodedata

RULE = "a text of printable characters (encodable UTF-8, no control or direction-override characters, no line breaks)"
_JOINERS = "\u200c\u200d"  # format characters that shape scripts and are harmless
_INVISIBLE = "\ufeff\u200b"  # a byte-order mark or zero-width space pasted along with a cell


def problem(text: str, max_chars: int, required: bool = True) -> str | None:
    """What is wrong with ``text`` (as the ``allowed`` part of an Issue), or None."""
    if not isinstance(text, str):
        return f"{RULE}, at most {max_chars} characters"
    if required and not text.strip():
        return f"a non-empty text of at most {max_chars} characters"
    if len(text) > max_chars:
        return f"a text of at most {max_chars} characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return RULE
    bad = ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
    if any(unicodedata.category(ch) in bad or (unicodedata.category(ch) == "Cf" and ch not in _JOINERS) for ch in text):
        return RULE
    return None


def clean(text: str) -> str:
    """``text`` in Unicode NFC, non-breaking spaces as spaces, invisible pasted marks dropped, outer spaces stripped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return "".join(ch for ch in text if ch not in _INVISIBLE).strip()


def printable(text: str, max_chars: int = 200) -> str:
    """``text`` cut to ``max_chars`` with every character ``problem`` refuses shown as "?" (a file
    name a user gave, shown back to them)."""
    text = str(text)[:max_chars]
    return "".join(ch if problem(ch, 1, required=False) is None else "?" for ch in text)
