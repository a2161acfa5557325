"""Labels in Vietnamese (default) and English: one place for every word a reader sees.

``t(key, lang)`` returns the label; unknown keys raise KeyError so a missing
translation is caught by the tests rather than shown as a raw key.
"""
from __future__ import annotations

LANGS = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {  # key: (vi, en)
    # metrics of Result.rows()
    "sipas_pct": ("Chỉ số SIPAS (%)", "SIPAS (%)"),
    "par_score": ("Điểm PAR Index (/100)", "PAR Index score (of 100)"),
    "par_rank": ("Xếp hạng PAR Index", "PAR Index rank"),
    "sipas_rank": ("Xếp hạng SIPAS", "SIPAS rank"),
    "online_share": ("Tỷ lệ hồ sơ nộp trực tuyến", "Share of dossiers submitted online"),
    "fee_forgone_bn_vnd": ("Phí, lệ phí miễn giảm (tỷ đồng/năm)", "Fees forgone (bn VND per year)"),
    "p_par_top3": ("Xác suất PAR trong top 3", "Probability PAR in the top 3"),
    "p_par_top5": ("Xác suất PAR trong top 5", "Probability PAR in the top 5"),
    "p_par_top10": ("Xác suất PAR trong top 10", "Probability PAR in the top 10"),
    "p_sipas_ge_86": ("Xác suất SIPAS ≥ 86%", "Probability SIPAS ≥ 86%"),
    "n_units": ("Số địa phương được xếp hạng", "Units ranked"),
    # statistics
    "mean": ("Trung bình", "Mean"),
    "p05": ("Phân vị 5%", "5th percentile"),
    "p50": ("Trung vị", "Median"),
    "p95": ("Phân vị 95%", "95th percentile"),
    "band_90": ("Khoảng 5–95%", "5–95% band"),
    "median": ("Trung vị", "Median"),
    "probability": ("Xác suất", "Probability"),
    # axes and common words
    "year": ("Năm", "Year"),
    "rank": ("Thứ hạng (1 = cao nhất)", "Rank (1 = best)"),
    "score": ("Điểm", "Score"),
    "share_of_draws": ("Tỷ lệ số lần mô phỏng", "Share of simulation draws"),
    "scenario": ("Kịch bản", "Scenario"),
    "baseline": ("Giữ nguyên chính sách hiện hành", "Today's policies continued"),
    "current_settings": ("Thiết lập hiện tại", "Current settings"),
    "difference": ("Chênh lệch so với kịch bản gốc", "Difference from the baseline"),
    "published": ("Công bố", "Published"),
    "reconstructed": ("Ước tính lại (chưa công bố)", "Reconstructed (not published)"),
    "national_average": ("Trung bình cả nước", "National average"),
    "top_group": ("Nhóm dẫn đầu", "Top group"),
    "cost": ("Chi phí", "Cost"),
    "effect": ("Tác động", "Effect"),
    "source": ("Nguồn", "Source"),
    "assumption": ("Giả định", "Assumption"),
    "unit": ("Đơn vị", "Unit"),
    "value": ("Giá trị", "Value"),
    "lever": ("Đòn bẩy chính sách", "Lever"),
    "current_value": ("Giá trị hiện tại", "Current value"),
    "target": ("Mục tiêu", "Target"),
    "target_year": ("Năm đạt mục tiêu", "Target year"),
    "focal": ("Địa phương", "Province / city"),
    "language": ("Ngôn ngữ", "Language"),
    "others_copy_fee": ("Các địa phương khác cũng miễn phí trực tuyến", "Other units copy the zero online fee"),
    "save_scenario": ("Lưu kịch bản", "Save scenario"),
    "load_scenario": ("Mở kịch bản", "Load scenario"),
    "draws": ("Số lần mô phỏng", "Draws"),
    "seed": ("Hạt giống ngẫu nhiên", "Random seed"),
}


def t(key: str, lang: str = "vi") -> str:
    """The label of ``key`` in ``lang`` ('vi' or 'en')."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    vi, en = LABELS[key]
    return vi if lang == "vi" else en
