"""Problems with an input in the reader's language: what is allowed, as the engine says it (in
English, as in the command line's messages), in Vietnamese; and one problem as a line."""

from __future__ import annotations

import re

# (pattern of the English text, Vietnamese template with the pattern's named groups), tried in order:
# the first that matches the whole text is used; a text without a pattern is shown as it is. The
# groups lo, hi and n are numbers, written with Vietnamese marks (10,000 → 10.000, 0.5 → 0,5). A
# template may be a function of the match, for a text with optional parts.
ALLOWED_VI: tuple[tuple[str, object], ...] = (
    (
        r"a whole number of (?P<what>\S+) from (?P<lo>\d+) to (?P<hi>\d+) \((?P<unit>\S+)'s total: "
        r"(?P<total>[\d,]+) \S+, (?P<year>\d+)\)",
        lambda m: (
            f"một số nguyên {m['what']} từ {m['lo']} đến {m['hi']} (tổng số của {m['unit']}: "
            f"{m['total'].replace(',', '.')} {m['what']}, năm {m['year']})"
        ),
    ),
    (
        r"a share from (?P<lo>\S+) to (?P<hi>\S+) \(this lever is a share, not counted in procedures\)",
        "một tỷ lệ từ {lo} đến {hi} (đòn bẩy này là tỷ lệ, không đếm theo số thủ tục)",
    ),
    (
        r"a share from (?P<lo>\S+) to (?P<hi>\S+) \((?P<unit>\S+) has no published total of (?P<what>\S+) for it "
        r"\(totals known for: (?P<items>.*)\)\)",
        "một tỷ lệ từ {lo} đến {hi} ({unit} chưa có tổng số {what} được công bố; có tổng số cho: {items})",
    ),
    (
        r"a cost from 0 to (?P<hi>\S+) \((?P<unit>.*)\), or \{low, central, high\} with low ≤ central ≤ high",
        lambda m: (
            f"một chi phí từ 0 đến {m['hi'].translate(_MARKS)} ({COST_UNITS_VI.get(m['unit'], m['unit'])}), "
            "hoặc {low, central, high} với low ≤ central ≤ high"
        ),
    ),
    (r"a unit cost of one of (?P<items>.*)", "một đơn giá của một trong: {items}"),
    (r"a projected year from (?P<lo>\d+) to (?P<hi>\d+)", "một năm dự báo từ {lo} đến {hi}"),
    (
        r"a whole-number rank from 1 to (?P<n>\d+) \(units ranked in (?P<year>\d+)\)",
        "một thứ hạng nguyên từ 1 đến {n} (số đơn vị được xếp hạng năm {year})",
    ),
    (r"a probability strictly between 0 and 1, e\.g\. 0\.8", "một xác suất lớn hơn 0 và nhỏ hơn 1, ví dụ 0,8"),
    (
        r"a text of printable characters (?P<breaks>and line breaks )?\(encodable UTF-8, no (?:other )?control or "
        r"direction-override characters(?:, no line breaks)?\)(?:; found (?P<ch>.*)|, at most (?P<n>\d+) characters)?",
        lambda m: (
            f"một đoạn chữ gồm các ký tự in được{' và dấu xuống dòng' if m['breaks'] else ''} (mã UTF-8, không có "
            f"ký tự điều khiển hay đổi chiều chữ{'' if m['breaks'] else ', không xuống dòng'})"
            + (f"; gặp {m['ch']}" if m["ch"] else f", tối đa {m['n']} ký tự" if m["n"] else "")
        ),
    ),
    (
        r"a share from (?P<lo>\S+) to (?P<hi>\S+) \(fraction, e\.g\. 0\.6 = 60%\)",
        "một tỷ lệ từ {lo} đến {hi} (viết dạng thập phân, ví dụ 0,6 = 60%)",
    ),
    (
        r"a share from (?P<lo>[\d.]+) to (?P<hi>[\d.]+) \(e\.g\. 0\.6\) or a percentage \(e\.g\. 60%\)",
        "một tỷ lệ từ {lo} đến {hi} (ví dụ 0,6) hoặc phần trăm (ví dụ 60%)",
    ),
    (r"a share from (?P<lo>\S+) to (?P<hi>\S+)", "một tỷ lệ từ {lo} đến {hi}"),
    (r"a share from (?P<lo>[\d.]+) to (?P<hi>[\d.]+)(?P<rest>.*)", "một tỷ lệ từ {lo} đến {hi}{rest}"),
    (
        r"a whole number from (?P<lo>[\d,]+) to (?P<hi>[\d,]+) \(the most draws a link may ask for\)",
        "một số nguyên từ {lo} đến {hi} (số lần mô phỏng nhiều nhất một liên kết được yêu cầu)",
    ),
    (r"a whole number from (?P<lo>\S+) to (?P<hi>\S+)", "một số nguyên từ {lo} đến {hi}"),
    (r"a whole number from (?P<lo>[\d,]+) to (?P<hi>[\d,]+)(?P<rest>.*)", "một số nguyên từ {lo} đến {hi}{rest}"),
    (r"a whole number", "một số nguyên"),
    (r"a year from (?P<lo>\d+) to (?P<hi>\d+)", "một năm từ {lo} đến {hi}"),
    (r"a non-empty text of at most (?P<n>\d+) characters", "một đoạn chữ không để trống, tối đa {n} ký tự"),
    (
        r"a text of at most (?P<n>\d+) characters, or \{vi: text, en: text\}",
        "một đoạn chữ tối đa {n} ký tự, hoặc {{vi: chữ tiếng Việt, en: chữ tiếng Anh}}",
    ),
    (
        r"a unit of the 2025 field: (?P<old>\S+) merged into '?(?P<new>[^' ]+)'? on 1/7/2025",
        "một đơn vị hành chính từ năm 2025: {old} đã hợp nhất vào «{new}» từ ngày 1/7/2025",
    ),
    (r"a 2025 unit slug, one of (?P<items>.*)", "mã một đơn vị hành chính từ năm 2025, là một trong: {items}"),
    (r"a lever: one of (?P<items>.*)", "một đòn bẩy, là một trong: {items}"),
    (r"one of (?P<items>.*)", "một trong: {items}"),
    (r"1 or 0 \(also true/false, yes/no\)", "1 hoặc 0 (hoặc true/false, yes/no)"),
    (
        r"a mapping of lever name to target, \{target, year\} or \{path\}",
        "một bảng ghép tên đòn bẩy với mục tiêu, {{target, year}} hoặc {{path}}",
    ),
    (
        r"a share, \{target, year\} or \{path: \{year: share\}\}",
        "một tỷ lệ, {{target, year}} hoặc {{path: {{năm: tỷ lệ}}}}",
    ),
    (
        r"either \{target: share, year: year\} or \{path: \{year: share, \.\.\.\}\}",
        "hoặc {{target: tỷ lệ, year: năm}}, hoặc {{path: {{năm: tỷ lệ, ...}}}}",
    ),
    (r"a non-empty mapping of year to share", "một bảng không để trống, ghép năm với tỷ lệ"),
    (r"a mapping with (?P<items>.*)", "một bảng gồm {items}"),
    (r"a mapping of scenario fields", "một bảng các trường của kịch bản"),
    (
        r"each year once \((?P<a>\S+) and (?P<b>\S+) are the same year\)",
        "mỗi năm chỉ một lần ({a} và {b} là cùng một năm)",
    ),
    (r"an existing scenario YAML file", "một tệp kịch bản YAML có thật"),
    (r"a UTF-8 YAML file", "một tệp YAML mã UTF-8"),
    (r"valid YAML with each key once.*", "YAML hợp lệ, mỗi khóa chỉ một lần (nếu không, giá trị trước sẽ bị mất)"),
    (r"valid YAML.*", "YAML hợp lệ (một bảng các trường của kịch bản)"),
    (r"a \.yaml or \.yml file", "một tệp .yaml hoặc .yml"),
    (
        r"a target share reached by the year \(e\.g\. 0\.6\), share@year \(0\.6@2026\) or year:share "
        r"points joined by _ \(2026:0\.4_2028:0\.6\)",
        "một tỷ lệ đạt tới vào năm mục tiêu (ví dụ 0,6), tỷ lệ@năm (0,6@2026) hoặc các điểm năm:tỷ lệ nối bằng _ "
        "(2026:0,4_2028:0,6)",
    ),
    (r"'vi' \(Vietnamese\) or 'en' \(English\)", "'vi' (tiếng Việt) hoặc 'en' (tiếng Anh)"),
    (
        r"every value written out \(anchors and aliases are not accepted\)",
        "mọi giá trị viết ra đầy đủ (không dùng neo, bí danh)",
    ),
    (
        r"every field written out \(merge keys, anchors and aliases are not accepted\)",
        "mọi trường viết ra đầy đủ (không dùng khóa gộp, neo, bí danh)",
    ),
    (r"plain keys: field names, lever names or years", "khóa đơn giản: tên trường, tên đòn bẩy hoặc năm"),
    (r"a scenario of at most (?P<n>[\d,]+) values", "một kịch bản có nhiều nhất {n} giá trị"),
    (r"nesting at most (?P<n>\d+) deep \(a scenario needs 5\)", "lồng nhau nhiều nhất {n} tầng (kịch bản cần 5)"),
    (r"a scenario file of at most (?P<n>[\d,]+) bytes", "một tệp kịch bản nhiều nhất {n} byte"),
    # the one rule of an output folder (engine.outfolder), as a command speaking Vietnamese writes one
    (
        r"a new folder, or an earlier what's-new report folder \(not the root of the file system\)",
        "một thư mục mới, hoặc thư mục báo cáo “có gì mới” đã có (không phải thư mục gốc của hệ thống tệp)",
    ),
    (
        r"a new or empty folder, or an earlier what's-new report folder \(this one holds files simlib did not "
        r"write; nothing was changed\)",
        "một thư mục mới hoặc trống, hoặc thư mục báo cáo “có gì mới” đã có (thư mục này chứa các tệp không do "
        "simlib ghi; không thay đổi gì)",
    ),
    (
        r"a new or empty folder, or an earlier what's-new report folder \(this one holds an? (?P<kind>.+) output's "
        r"manifest\.json; nothing was changed\)",
        "một thư mục mới hoặc trống, hoặc thư mục báo cáo “có gì mới” đã có (thư mục này chứa manifest.json của "
        "một kết quả khác: {kind}; không thay đổi gì)",
    ),
    (r"a directory path \(this is a file\)", "một đường dẫn thư mục (đây là một tệp)"),
    (r"a folder name of at most (?P<n>\d+) bytes", "một tên thư mục dài tối đa {n} byte"),
    (
        r"a folder, not a symbolic link \(give the folder it points to: (?P<to>.*)\)",
        "một thư mục, không phải liên kết tượng trưng (hãy đưa thư mục nó trỏ tới: {to})",
    ),
    (r"a directory you may write in \((?P<why>.*)\)", "một thư mục được phép ghi ({why})"),
    (
        r"a path inside a directory \((?P<what>.*) is a file\)",
        "một đường dẫn nằm trong một thư mục ({what} là một tệp)",
    ),
)
COST_UNITS_VI = {
    "staff days per procedure": "ngày công mỗi TTHC",
    "million vnd per percentage point": "triệu đồng mỗi điểm %",
    "million vnd per staff day": "triệu đồng mỗi ngày công",
}
# What the engine says it found when it describes rather than quotes (a construct of the file,
# not a value typed by the user), in Vietnamese; matched whole, so a user's own text is never changed.
GOT_VI: tuple[tuple[str, str], ...] = (
    (r"a YAML anchor or alias \(&name, \*name\)", "một neo hoặc bí danh YAML (&tên, *tên)"),
    (r"a merge key \(<<\)", "một khóa gộp (<<)"),
    (r"a key that is a list or mapping", "một khóa là danh sách hoặc bảng"),
    (r"duplicate key (?P<items>.*)", "khóa lặp lại {items}"),
    (r"more than (?P<n>[\d,]+) values", "hơn {n} giá trị"),
    (r"values nested more than (?P<n>\d+) deep", "giá trị lồng nhau hơn {n} tầng"),
    (r"missing file", "không có tệp"),
    (r"a file of (?P<n>[\d,]+) bytes", "một tệp {n} byte"),
    (r"a file of more than (?P<n>[\d,]+) bytes", "một tệp hơn {n} byte"),
)
# Positions in a file, as the engine writes them after the file's name ("x.yaml line 3 column 5").
_POSITION = re.compile(r" (line|row|byte) (\d+)(?: column (\S+))?")
POSITION_VI = {"line": "dòng", "row": "hàng", "byte": "byte", "column": "cột"}
_NUMBERS = ("lo", "hi", "n")
_MARKS = str.maketrans(",.", ".,")


def _translated(text: str, table, lang: str) -> str | None:
    """``text`` in ``lang`` by the first pattern of ``table`` it matches whole (None: no match)."""
    if lang == "en":
        return text
    for pattern, vi in table:
        m = re.fullmatch(pattern, text)
        if m and callable(vi):
            return vi(m)
        if m:
            return vi.format(**{k: (v.translate(_MARKS) if k in _NUMBERS else v) for k, v in m.groupdict().items()})
    return None


def allowed_text(allowed: str, lang: str = "vi") -> str:
    """What an input problem says is allowed, in ``lang`` (the engine writes it in English)."""
    from .yearwords import ALLOWED_VI_YEAR

    return _translated(allowed, ALLOWED_VI_YEAR + ALLOWED_VI, lang) or allowed


def where_text(where: str, lang: str = "vi") -> str:
    """Where an input problem is, in ``lang``: a file position's words translated ("dòng 3 cột 5")."""
    if lang == "en":
        return where
    return _POSITION.sub(
        lambda m: f" {POSITION_VI[m[1]]} {m[2]}" + (f" {POSITION_VI['column']} {m[3]}" if m[3] else ""), where
    )


def issue_text(issue, lang: str = "vi") -> str:
    """One input problem as a line in ``lang``: where, what was given (shown short, or the engine's own
    description of it in ``lang``), what is allowed."""
    from ...engine.errors import short
    from . import say

    described = isinstance(issue.value, str) and lang != "en"
    got = (_translated(issue.value, GOT_VI, lang) if described else None) or short(issue.value)
    return (
        f"{where_text(issue.where, lang)}: {say('got', lang)} {got}; "
        f"{say('allowed', lang)}: {allowed_text(issue.allowed, lang)}"
    )
