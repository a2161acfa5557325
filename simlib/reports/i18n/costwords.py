"""Words of counts and costs (``say("costs.key")``): levers as numbers of procedures, what a scenario
costs the city, what a search minimises, and the cost vs P(top 3) frontier, as (Vietnamese, English)."""

from __future__ import annotations

COSTS: dict[str, tuple[str, str]] = {
    # counts beside shares
    "count_of": ("{count} trên {total} {what}, {pct}%", "{count} of {total} {what}, {pct}%"),
    "of_total": ("trên {total} {what}", "of {total} {what}"),
    "count_more": ("thêm {n} {what}", "{n} more {what}"),
    "count_fewer": ("bớt {n} {what}", "{n} fewer {what}"),
    "points_more": ("thêm {n} điểm %", "{n} more points"),
    "total_note": (
        "Tổng số {what} của {unit}: {total} ({year}, {status}: {source}).",
        "{unit}'s total of {what}: {total} ({year}, {status}: {source}).",
    ),
    "no_total": (
        "{unit} chưa có tổng số {what} được công bố: đòn bẩy này chỉ hiển thị dạng tỷ lệ.",
        "{unit} has no published total of {what}: this lever is shown as a share only.",
    ),
    "status_stated": ("công bố", "published"),
    "status_derived": ("suy ra", "derived"),
    # the cost of a scenario
    "cost_title": ("Chi phí cho thành phố", "Cost to the city"),
    "cost_sentence": (
        "Chi phí cho thành phố {first}–{year}, so với giữ nguyên chính sách: {central} tỷ đồng "
        "(khoảng {low}–{high}), gồm {one_off} tỷ đồng chi một lần để nâng các đòn bẩy (khoảng "
        "{one_off_low}–{one_off_high}) và {fees} tỷ đồng phí, lệ phí không thu thêm (5–95%: "
        "{fees_low}–{fees_high}).",
        "Cost to the city {first}–{year}, beside today's policies continued: {central} bn VND "
        "(range {low}–{high}): {one_off} bn VND once to raise the levers (range {one_off_low}–{one_off_high}) "
        "and {fees} bn VND of extra fees forgone (5–95%: {fees_low}–{fees_high}).",
    ),
    "cost_range_note": (
        "Khoảng chi phí: mọi đơn giá ở mức thấp / cao (giả định, xem bảng đơn giá) cùng khoảng 5–95% của "
        "phí, lệ phí không thu.",
        "The range: every unit cost at its low / high end (assumptions, see the unit-cost table) with the "
        "fees forgone's 5–95%.",
    ),
    "cost_unknown": (
        "Chưa tính được chi phí cho {unit}: {why}. Chỉ tính được phí, lệ phí không thu thêm: {fees} tỷ đồng "
        "({first}–{year}).",
        "The cost to {unit} cannot be priced: {why}. Only the extra fees forgone are known: {fees} bn VND "
        "({first}–{year}).",
    ),
    "why_no_total": (
        "{lever}: chưa có tổng số TTHC được công bố nên không quy được đơn giá mỗi TTHC",
        "{lever}: no published total of procedures to apply a cost per procedure to",
    ),
    "why_no_cost": ("{lever}: chưa có đơn giá", "{lever}: no unit cost"),
    "society_saving": (
        "Khoản tiết kiệm cho người dân và doanh nghiệp (không tính vào chi phí của thành phố): {source}",
        "A saving to citizens and businesses (not counted in the city's cost): {source}",
    ),
    # what a search minimises
    "minimises_cost": (
        "Tiêu chí tìm: chi phí thấp nhất cho thành phố (tỷ đồng {first}–{year}: chi phí một lần theo đơn "
        "giá trung tâm cộng phí, lệ phí không thu thêm so với hiện nay, trung bình các lần mô phỏng); "
        "không đòn bẩy nào bị hạ dưới mức hiện tại.",
        "Minimised: the cost to the city (bn VND {first}–{year}: the one-off cost at the central unit costs "
        "plus the extra fees forgone beside today's, their mean over the draws); no lever is lowered below "
        "today's value.",
    ),
    "minimises_effort": (
        "Tiêu chí tìm: ít công sức nhất (tổng số điểm % các đòn bẩy phải tăng), vì {why}.",
        "Minimised: effort (the sum of the percentage points the levers rise), because {why}.",
    ),
    "why_weights": ("đã cho trọng số công sức", "effort weights were given"),
    "why_no_costs": ("chưa có đơn giá", "there are no unit costs"),
    "goal_cost": (
        "Chi phí cho thành phố {first}–{year}: {central} tỷ đồng (khoảng {low}–{high}).",
        "Cost to the city {first}–{year}: {central} bn VND (range {low}–{high}).",
    ),
    "goal_effort": ("Công sức: {effort} điểm %.", "Effort: {effort} percentage points."),
    # the frontier
    "frontier_heading": (
        "Chi phí và khả năng vào top 3 PAR năm {year}",
        "Cost and the chance of PAR top 3 in {year}",
    ),
    "frontier_note": (
        "Mỗi điểm là một tổ hợp đòn bẩy (mỗi đòn bẩy từ mức hiện tại đến tối đa, đạt vào năm {year}). "
        "Đường nối là các tổ hợp không bị tổ hợp nào khác vượt cả về chi phí lẫn khả năng: rẻ hơn thì khả "
        "năng thấp hơn. {n} lần mô phỏng trên cùng bộ số ngẫu nhiên; khoảng chi phí: đơn giá thấp / cao.",
        "Each point is a lever mix (each lever from today's value to its maximum, reached by {year}). The "
        "line joins the mixes no other mix beats on both cost and chance: anything cheaper has a lower "
        "chance. {n} draws on common random numbers; cost range: low / high unit costs.",
    ),
    "frontier_effort_note": (
        "Chưa tính được chi phí cho {unit} ({why}), nên đường biên theo công sức (tổng điểm % tăng thêm).",
        "The cost to {unit} cannot be priced ({why}), so the frontier is against effort (points raised).",
    ),
    "frontier_flat": (
        "Không tổ hợp nào đã thử cho khả năng vào top 3 năm {year} cao hơn giữ nguyên chính sách (cao nhất "
        "{best}%): với mô hình này, các đòn bẩy không mua được top 3, nên đường biên chỉ có một điểm.",
        "No mix tried gives a better chance of PAR top 3 in {year} than today's policies (at most {best}%): "
        "under the model the levers cannot buy the top 3, so the frontier is a single point.",
    ),
    "fig_cost": (
        "Chi phí cho thành phố {first}–{year}, so với hiện nay (tỷ đồng)",
        "Cost to the city {first}–{year}, beside today (bn VND)",
    ),
    "fig_effort": ("Công sức (tổng điểm % tăng thêm)", "Effort (percentage points raised)"),
    "fig_p": ("Khả năng PAR top 3 năm {year} (%)", "Chance of PAR top 3 in {year} (%)"),
    "fig_all": ("mọi tổ hợp đã thử", "every mix tried"),
    "fig_frontier": ("không bị vượt cả hai mặt", "beaten on neither"),
    "fig_today": ("giữ nguyên chính sách", "today's policies"),
    "fig_scenario": ("kịch bản này", "this scenario"),
    "col_cost": ("Chi phí (tỷ đồng)", "Cost (bn VND)"),
    "col_cost_range": ("Khoảng chi phí", "Cost range"),
    "col_effort": ("Công sức (điểm %)", "Effort (points)"),
    "col_p": ("Khả năng top 3", "Chance of top 3"),
    "col_p_interval": ("Khoảng Monte-Carlo 90%", "90% Monte-Carlo interval"),
    "today_mix": ("hiện nay", "today"),
    # the unit-cost table
    "unit_costs_heading": ("Đơn giá của các đòn bẩy", "What a unit of each lever costs"),
    "col_item": ("Khoản", "Item"),
    "all_levers": ("mọi đòn bẩy tính theo ngày công", "every lever priced in staff-days"),
    "col_payer": ("Ai chịu", "Who pays"),
    "col_per": ("Cho mỗi", "Per"),
    "col_low": ("Thấp", "Low"),
    "col_central": ("Trung tâm", "Central"),
    "col_high": ("Cao", "High"),
    "col_basis": ("Căn cứ", "Basis"),
    "col_source": ("Nguồn / lý do", "Source / reason"),
    "payer_city": ("thành phố (chi phí)", "the city (a cost)"),
    "payer_society": ("người dân, doanh nghiệp (tiết kiệm)", "citizens and businesses (a saving)"),
    "item_staff_day": ("Đơn giá một ngày công", "A staff-day"),
    "item_staff_time": ("Ngày công", "Staff time"),
    "item_it_and_staff": ("CNTT và nhân lực", "IT and staff"),
    "item_fees_forgone": ("Phí, lệ phí không thu", "Fees forgone"),
    "item_compliance_saving": ("Chi phí tuân thủ giảm", "Compliance cost saved"),
    "per_procedure": ("TTHC", "procedure"),
    "per_percentage_point": ("điểm % hồ sơ", "percentage point of dossiers"),
    "per_staff_day": ("ngày công", "staff-day"),
    "per_model": ("mô hình tính theo năm", "computed each year by the model"),
    "amount_staff_days": ("ngày công", "staff-days"),
    "amount_million_vnd": ("triệu đồng", "million VND"),
    "amount_million_vnd_per_year": ("triệu đồng/năm", "million VND/yr"),
    "amount_bn_vnd_per_year": ("tỷ đồng/năm", "bn VND/yr"),
    "basis_source": ("có nguồn", "sourced"),
    "basis_derived": ("suy ra từ nguồn", "derived"),
    "basis_assumption": ("giả định", "assumption"),
    "basis_model": ("mô hình", "model"),
    "basis_planner": ("số liệu của bạn", "your own figure"),
    "unit_cost_short": (
        "{central} {amount}/{per} ({low}–{high}, {basis})",
        "{central} {amount} per {per} ({low}–{high}, {basis})",
    ),
}
