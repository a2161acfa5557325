"""The one rule for text a user types or a file holds (a scenario's name, title or description, a free-text
cell of a data file, an added table's unit names and source) before it reaches a terminal, a file name, a
CSV, a workbook, a PDF or a page.

Such text must encode as UTF-8 (no lone surrogate, which YAML accepts as ``"\\ud800"`` and a decoder may
let through) and hold no control character: no NUL, ESC or other C0/C1 code (an ESC rewrites a terminal,
a NUL splits a file name), no direction override or other invisible format character (the joiners that
shape scripts excepted), no private-use or unassigned code point, no line or paragraph separator. A
multi-line field (a description, a data file's free text) may hold line breaks; nothing else may.
``problem`` says what is wrong, ``None`` when the text is fine; ``printable`` shows any text safely on a
terminal. Escaping for HTML happens where words become markup (``html.escape``), and a spreadsheet's
formula characters where cells are written (``csvfile.spreadsheet_safe``), not here.
"""

from __future__ import annotations

import unicodedata

ALLOWED = "a text of printable characters (UTF-8; no control character such as NUL or ESC, no line break)"
ALLOWED_MULTILINE = "a text of printable characters and line breaks (UTF-8; no other control character)"
_JOINERS = "\u200c\u200d"  # format characters that shape scripts and are harmless
_INVISIBLE = "\ufeff\u200b"  # a byte-order mark or zero-width space pasted along with a cell (``clean`` drops them)
_BAD_CATEGORIES = ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")  # controls, surrogates, private use, unassigned, separators


def bad_character(text: str, multiline: bool = False) -> str | None:
    """The first character of ``text`` the rule refuses (None if there is none)."""
    for ch in text:
        if multiline and ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES or (category == "Cf" and ch not in _JOINERS):
            return ch
    return None


def problem(text, max_chars: int | None = None, required: bool = True, multiline: bool = False) -> str | None:
    """What is allowed (the ``allowed`` part of an Issue, naming the character refused) if ``text`` breaks
    the rule, or is empty while ``required``, or longer than ``max_chars``; else None."""
    rule = ALLOWED_MULTILINE if multiline else ALLOWED
    limit = f", at most {max_chars} characters" if max_chars is not None else ""
    if not isinstance(text, str):
        return rule + limit
    if max_chars is not None and required and not text.strip():
        return f"a non-empty text of at most {max_chars} characters"
    if max_chars is not None and len(text) > max_chars:
        return f"a text of at most {max_chars} characters"
    ch = bad_character(text, multiline)
    return None if ch is None else f"{rule}; found {_code(ch)}"


def _code(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def clean(text: str) -> str:
    """``text`` in Unicode NFC, non-breaking spaces as spaces, invisible pasted marks dropped, outer spaces stripped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return "".join(ch for ch in text if ch not in _INVISIBLE).strip()


def printable(text, max_chars: int | None = None) -> str:
    """``text`` (cut to ``max_chars``) with every character the rule refuses written as an escape
    (``\\x1b``, ``\\ud800``), so printing it can neither fail nor retitle or recolour a terminal."""
    text = str(text) if max_chars is None else str(text)[:max_chars]
    if bad_character(text) is None:
        return text
    return "".join(ch if bad_character(ch) is None else ch.encode("unicode_escape").decode("ascii") for ch in text)
