"""Text a user types that will reach a terminal, a file name, a CSV, a workbook, a PDF or a page: a
scenario's name, title or description, a result table's unit name or source.

Such text must be encodable as UTF-8 (no lone surrogate, which YAML accepts as ``"\\ud800"`` and a
decoder may let through) and hold no control character (an ESC rewrites a terminal; a NUL or a line
break splits a CSV row or a file name; a direction override reorders what a reader sees). A
description may hold line breaks; nothing else may. ``problem`` says what is wrong with a text,
naming the first bad character, ``None`` when it is fine; ``printable`` shows any text safely on a
terminal. The one rule for every such text (a data file's cells too, ``csvschema``). Escaping for HTML
happens where words become markup (``html.escape``), and a spreadsheet's formula characters where cells
are written (``csvfile.spreadsheet_safe``), not here.
"""

from __future__ import annotations

import unicodedata

RULE = "a text of printable characters (encodable UTF-8, no control or direction-override characters, no line breaks)"
RULE_MULTILINE = "a text of printable characters and line breaks (encodable UTF-8, no other control or direction-override characters)"
_JOINERS = "\u200c\u200d"  # format characters that shape scripts and are harmless
_INVISIBLE = "\ufeff\u200b"  # a byte-order mark or zero-width space pasted along with a cell
# controls, surrogates, private use, unassigned, line and paragraph separators; format characters
# (direction marks, embeddings, overrides, isolates, invisible marks) except the joiners
_BAD_CATEGORIES = ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")


def bad_character(text: str, multiline: bool = False) -> str | None:
    """The first character of ``text`` that is not allowed (None if all are); ``multiline`` lets
    ``"\\n"`` through."""
    if (text.replace("\n", "") if multiline else text).isprintable():
        return None  # every refused category is one Python's str.isprintable refuses: the common case, fast
    for ch in text:
        if multiline and ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES or (category == "Cf" and ch not in _JOINERS):
            return ch
    return None


def problem(text: str, max_chars: int, required: bool = True, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` (as the ``allowed`` part of an Issue, naming the first bad
    character), or None. ``required``: an empty or blank text is refused; ``multiline``: line
    breaks are allowed (a description)."""
    rule = RULE_MULTILINE if multiline else RULE
    if not isinstance(text, str):
        return f"{rule}, at most {max_chars} characters"
    if required and not text.strip():
        return f"a non-empty text of at most {max_chars} characters"
    if len(text) > max_chars:
        return f"a text of at most {max_chars} characters"
    return character_problem(text, multiline)


def character_problem(text: str, multiline: bool = False) -> str | None:
    """What is allowed, naming the first bad character, if ``text`` holds one; else None (the
    characters only: length and emptiness are the caller's)."""
    ch = bad_character(text, multiline)
    if ch is None:
        return None
    return f"{RULE_MULTILINE if multiline else RULE}; found {_code(ch)}"


def _code(ch: str) -> str:
    """``U+001B`` with the character's Unicode name where it has one."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def clean(text: str) -> str:
    """``text`` in Unicode NFC, non-breaking spaces as spaces, invisible pasted marks dropped, outer spaces stripped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return "".join(ch for ch in text if ch not in _INVISIBLE).strip()


def printable(text, max_chars: int | None = None) -> str:
    """``text`` (cut to ``max_chars``) with every character ``bad_character`` refuses written as an escape
    (``\\x1b``, ``\\ud800``), so printing it can neither fail nor retitle or recolour a terminal (a name
    a user gave, a file name, shown back to them)."""
    text = str(text) if max_chars is None else str(text)[:max_chars]
    if bad_character(text) is None:
        return text
    return "".join(ch if bad_character(ch) is None else ch.encode("unicode_escape").decode("ascii") for ch in text)
