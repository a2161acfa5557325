"""The data's own texts in the reader's language: clashes between sources (as the loader records
them, in English) and the units of the model's parameters (data/parameters.csv)."""

from __future__ import annotations

# ---------------------------------------------------------------- data clashes, in Vietnamese
CLASHES_VI: tuple[tuple[str, str], ...] = (
    (
        r"(\S+): sources give scores (\[.*?\]) and ranks (\[.*?\]); written rule: (\S+) / rank (\S+) \((.*)\)",
        "{0}: các nguồn cho điểm {1} và thứ hạng {2}; theo quy tắc đã ghi, dùng {3} / hạng {4} (lý do: {5})",
    ),
    (
        r"(\S+): sources give scores (\[.*?\]) and ranks (\[.*?\]) with no written rule; default rule "
        r"\(best status, then most sources\) keeps (\S+) / rank (\S+)",
        "{0}: các nguồn cho điểm {1} và thứ hạng {2}, chưa có quy tắc riêng; theo quy tắc mặc định (ưu tiên "
        "số liệu có trạng thái tốt nhất, rồi số liệu có nhiều nguồn nhất) dùng {3} / hạng {4}",
    ),
    (
        r"covariate (\S+) (\d+) (\S+): scores (\S+) and (\S+) \(row (\d+)\); kept the first",
        "chỉ số {0} năm {1}, {2}: hai điểm {3} và {4} (dòng {5}); giữ điểm ghi trước",
    ),
    (
        r"rank (\d+) given to (.*); kept for (\S+) \(best supported\), dropped for the others",
        "hạng {0} được ghi cho {1}; giữ cho {2} (nhiều căn cứ nhất), bỏ ở các tỉnh còn lại",
    ),
    (
        r"(\S+) rank (\d+) scores (\S+) below (\S+) rank (\d+) at (\S+); dropped the rank of (\S+) \(less supported\)",
        "{0} hạng {1} có điểm {2}, thấp hơn {3} hạng {4} với {5}; bỏ thứ hạng của {6} (ít căn cứ hơn)",
    ),
)


def clash_text(text: str, lang: str = "vi", rules_vi: dict[str, str] | None = None) -> str:
    """One clash between sources (as the data loader records it) in ``lang``. A written rule's
    reason is given in English in the loader's line; ``rules_vi`` maps it to its Vietnamese
    wording (the ``rule`` → ``rule_vi`` columns of data/conflict_rules.csv)."""
    import re

    if lang == "en":
        return text
    rules_vi = rules_vi or {}
    for pattern, vi in CLASHES_VI:
        m = re.fullmatch(pattern, text, re.S)
        if m:
            return vi.format(*(rules_vi.get(g) or _vi_numbers(g) for g in m.groups()))
    return text


def _vi_numbers(text: str) -> str:
    """'87.62' → '87,62'; '[87.61, 87.62]' → '[87,61; 87,62]' (a comma is the decimal sign in Vietnamese)."""
    import re

    if re.fullmatch(r"[\d.]+", text):
        return text.replace(".", ",")
    if re.fullmatch(r"\[[\d., ]*\]", text):
        return text.replace(", ", "; ").replace(".", ",")
    return text


# ---------------------------------------------------------------- units of the model's parameters
PARAM_UNITS_VI: dict[str, str] = {  # data/parameters.csv column unit → Vietnamese
    "PAR points": "điểm PAR",
    "PAR points below 100": "điểm PAR dưới mức 100",
    "PAR points per unit online share": "điểm PAR trên một đơn vị tỷ lệ nộp trực tuyến",
    "PAR points per unit share delegated": "điểm PAR trên một đơn vị tỷ lệ thủ tục được ủy quyền, phân cấp",
    "PAR points per unit share simplified": "điểm PAR trên một đơn vị tỷ lệ thủ tục được đơn giản hóa",
    "PAR points per unit time cut": "điểm PAR trên một đơn vị mức rút ngắn thời gian",
    "SIPAS points below 100": "điểm SIPAS dưới mức 100",
    "SIPAS points per unit compliance-cost cut": "điểm SIPAS trên một đơn vị mức giảm chi phí tuân thủ",
    "SIPAS points per unit online share": "điểm SIPAS trên một đơn vị tỷ lệ nộp trực tuyến",
    "SIPAS points per unit time cut": "điểm SIPAS trên một đơn vị mức rút ngắn thời gian",
    "bn VND per year per unit online share": "tỷ đồng mỗi năm trên một đơn vị tỷ lệ nộp trực tuyến",
    "fraction of compliance cost per unit share simplified": "phần chi phí tuân thủ trên một đơn vị tỷ lệ thủ tục được đơn giản hóa",
    "fraction of processing time": "phần thời gian xử lý",
    "log(100 − score)": "log(100 − điểm)",
    "log(100 − score) per year": "log(100 − điểm) mỗi năm",
    "per unit of fee waived": "trên một đơn vị mức miễn phí",
    "per unit share delegated": "trên một đơn vị tỷ lệ thủ tục được ủy quyền, phân cấp",
    "per unit share of full-process handling": "trên một đơn vị tỷ lệ hồ sơ xử lý toàn trình",
    "per unit share simplified": "trên một đơn vị tỷ lệ thủ tục được đơn giản hóa",
    "province pairs": "cặp tỉnh",
    "pseudo-intervals": "khoảng giả định (quy đổi)",
    "share of last year's gap to the average kept": "phần chênh lệch so với trung bình của năm trước còn giữ lại",
    "share of the estimated trend": "phần của xu hướng ước tính",
    "share of the field": "tỷ lệ trong các địa phương",
    "year": "năm",
    "years": "năm",
}


def param_unit(unit: str, lang: str = "vi") -> str:
    """A parameter's unit in ``lang`` (the data file writes it in English)."""
    return PARAM_UNITS_VI.get(unit, unit) if lang == "vi" else unit
