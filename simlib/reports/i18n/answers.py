"""Words of the panel's controls for the planner's answers (``say("answers.key")``): the scenario's name and
description, counts beside the sliders, a planner's own unit costs, the memo paragraph, applying a found
mix, the SIPAS league table and the rank heat map, one-click downloads; as (Vietnamese, English)."""

from __future__ import annotations

ANSWERS: dict[str, tuple[str, str]] = {
    # the scenario's name and description
    "title_box": ("Tên kịch bản", "Scenario name"),
    "title_placeholder": ("ví dụ: Đơn giản hóa thêm 139 TTHC", "e.g. Simplify 139 more procedures"),
    "description_box": ("Mô tả", "Description"),
    "description_placeholder": (
        "một vài dòng cho người đọc bản tóm tắt và tệp Excel",
        "a few lines for readers of the one-pager and the workbook",
    ),
    "bad_text": ("Không dùng được tên hoặc mô tả này:", "This name or description cannot be used:"),
    # counts beside the sliders
    "count_box": ("Gõ số TTHC, ví dụ 350", "Type a number of procedures, e.g. 350"),
    "of_total": ("/ {total} {what}", "of {total} {what}"),
    "today_count": (
        "hiện tại {count}/{total} {what} ({value}%, {year})",
        "today {count} of {total} {what} ({value}%, {year})",
    ),
    "bad_count": (
        "{lever}: không dùng được “{text}”; cho phép: một số nguyên từ {lo} đến {hi} {what}. Giữ nguyên {value}.",
        "{lever}: “{text}” cannot be used; allowed: a whole number from {lo} to {hi} {what}. Kept at {value}.",
    ),
    # a planner's own unit costs
    "own_costs": ("Đơn giá của bạn (chi phí triển khai)", "Our own unit costs (cost of putting levers in place)"),
    "own_costs_note": (
        "Mặc định là giả định có lý do (xem bảng đơn giá trong báo cáo). Gõ số của đơn vị bạn; để trống để "
        "dùng lại mặc định. Chi phí và “cách ít tốn kém nhất” dùng các số này.",
        "The defaults are assumptions with their reasons (see the unit-cost table of the report). Type your "
        "unit's figure; leave it empty to use the default again. The cost and the “cheapest way” use them.",
    ),
    "cost_box": ("{lever}: {amount}/{per}", "{lever}: {amount} per {per}"),
    "cost_box_rate": ("Một ngày công: {amount}", "A staff-day: {amount}"),
    "cost_default": ("mặc định {central} ({low}–{high}, {basis})", "default {central} ({low}–{high}, {basis})"),
    "costs_reset": ("Dùng lại đơn giá mặc định", "Use the default unit costs"),
    "bad_cost": (
        "{what}: không dùng được “{text}”; cho phép: một số ≥ 0 (ví dụ 30 hoặc 0,6).",
        "{what}: “{text}” cannot be used; allowed: a number ≥ 0 (e.g. 30 or 0.6).",
    ),
    # the headline's cost row
    "city_cost": ("Chi phí cho thành phố {first}–{year}", "Cost to the city {first}–{year}"),
    "city_cost_value": ("{central} tỷ đồng (khoảng {low}–{high})", "{central} bn VND (range {low}–{high})"),
    "city_cost_unknown": ("chưa tính được: {why}", "cannot be priced: {why}"),
    # the memo paragraph
    "memo_title": ("Đoạn tóm tắt để dán vào công văn", "A paragraph for your memo"),
    "copy_memo": ("Sao chép đoạn văn", "Copy the paragraph"),
    "memo_copied": ("Đã sao chép đoạn văn", "Paragraph copied"),
    # goal-seek
    "goal_run_cost": ("Tìm cách ít tốn kém nhất", "Find the cheapest way"),
    "goal_reachable_cost": (
        "Đạt được top {rank} PAR năm {year} {futures}, với tổ hợp đòn bẩy ít tốn kém nhất dưới đây.",
        "PAR top {rank} in {year} is reached {futures}, with the cheapest lever mix below.",
    ),
    "change_col": ("Thay đổi", "Change"),
    "apply": ("Áp dụng tổ hợp này", "Apply this mix"),
    "applied": (
        "Đã áp dụng: các thanh trượt, năm mục tiêu {year} và liên kết đã theo tổ hợp này. Bảng tính lại với "
        "{draws} lần mô phỏng: top {rank} PAR năm {year} xảy ra {futures}.",
        "Applied: the sliders, the target year {year} and the link now hold this mix. The panel, with {draws} "
        "draws: PAR top {rank} in {year} happens {futures}.",
    ),
    "trust_title": ("Thứ hạng năm {year} tin được đến đâu?", "How far can the {year} rank be trusted?"),
    # league tables and the heat map
    "league_index": ("Chỉ số", "Index"),
    "heatmap_note": (
        "Ô đậm: thứ hạng mà địa phương đó giữ trong nhiều lần mô phỏng.",
        "Dark cells: the ranks a unit holds in many of the simulated futures.",
    ),
    # downloads
    "download_started": (
        "Đã tải {name}. Nếu trình duyệt chưa lưu tệp: {link}",
        "{name} downloaded. If your browser did not save it: {link}",
    ),
}
