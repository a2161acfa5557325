"""What a text typed by a user (a scenario's name, title or description; a free-text cell of a data file)
may hold before it reaches a file name, a terminal, a workbook, a PDF or a web page: characters that
encode as UTF-8 (no lone surrogate, which YAML accepts as ``"\\ud800"``), and no control character
(NUL, ESC, the other C0/C1 codes, direction overrides, line and paragraph separators). A description
may hold line breaks; nothing else may. ``printable`` writes any text safely on a terminal."""

from __future__ import annotations

import unicodedata

ALLOWED = "a text of printable characters (UTF-8; no control character such as NUL or ESC)"
ALLOWED_MULTILINE = "a text of printable characters and line breaks (UTF-8; no other control character)"

# format characters that reorder or hide text on a screen (bidirectional embeddings, overrides, isolates)
_HIDDEN = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BAD_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")  # controls, surrogates, line and paragraph separators


def bad_character(text: str, multiline: bool = False) -> str | None:
    """The first character of ``text`` that is not allowed (None if all are)."""
    for ch in text:
        if multiline and ch == "\n":
            continue
        if ch in _HIDDEN or unicodedata.category(ch) in _BAD_CATEGORIES:
            return ch
    return None


def problem(text: str, multiline: bool = False) -> str | None:
    """What is allowed (``ALLOWED`` …), naming the bad character, if ``text`` holds one; else None."""
    ch = bad_character(text, multiline)
    if ch is None:
        return None
    return f"{ALLOWED_MULTILINE if multiline else ALLOWED}; found {_code(ch)}"


def _code(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def printable(text: str) -> str:
    """``text`` with every character that could act on a terminal (controls, surrogates, direction
    overrides) written as an escape (``\\x1b``, ``\\ud800``), so printing it can neither fail nor
    retitle or recolour the terminal."""
    if bad_character(text) is None:
        return text
    return "".join(ch if bad_character(ch) is None else ch.encode("unicode_escape").decode("ascii") for ch in text)
