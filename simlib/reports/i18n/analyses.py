"""Sentences of the analyses (``say("sensitivity.key")``, ``"target."``, ``"calibration."``,
``"evaluation."``), each as (Vietnamese, English) with the same ``{fields}``."""

from __future__ import annotations

# sensitivity: words of simlib/sensitivity.py
SENSITIVITY: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "depends_most": ("Kết quả phụ thuộc nhiều nhất vào {first}", "The answer depends most on {first}"),
    "then": (", tiếp theo là {rest}", ", then {rest}"),
    "and": (" và ", " and "),
    "st": ("chỉ số tổng {value}", "total-effect index {value}"),
    "mu": ("μ* {value}", "μ* {value}"),
    "evaluated": (
        "{rows:,} dòng mẫu × {draws:,} lần mô phỏng = {runs:,} lần chạy mô hình trong {seconds:.1f} giây",
        "{rows:,} sample rows × {draws:,} field draws = {runs:,} model runs in {seconds:.1f} s",
    ),
    "split": (
        "Các đòn bẩy chính sách (thành phố chủ động được) giải thích khoảng {levers} biến động của kết quả; "
        "các giả định của mô hình khoảng {parameters}.",
        "The levers (what the city controls) explain about {levers} of the outcome's variation on their own; "
        "the model's assumptions about {parameters}.",
    ),
    "flat": (
        "Kết quả gần như không đổi trên toàn bộ miền khảo sát: không yếu tố nào quyết định.",
        "The outcome hardly varies over the ranges studied: no factor decides it.",
    ),
    "title_sobol": ("Độ nhạy toàn cục (Sobol): {outcome}, năm {year}", "Global sensitivity (Sobol): {outcome}, {year}"),
    "title_morris": ("Sàng lọc Morris: {outcome}, năm {year}", "Morris screening: {outcome}, {year}"),
    "st_axis": (
        "Chỉ số Sobol (tổng ST, bậc 1 S1; khoảng tin cậy 95%)",
        "Sobol index (total ST, first-order S1; 95% confidence)",
    ),
    "mu_axis": (
        "μ* (thay đổi kết quả trên toàn miền của yếu tố)",
        "μ* (change of the outcome over the factor's range)",
    ),
    "swing_title": ("Kết quả khi từng yếu tố ở mức thấp / cao", "Outcome with one factor at its low / high end"),
    "low": ("mức thấp", "low end"),
    "high": ("mức cao", "high end"),
    "nb_title": (
        "Yếu tố nào quyết định kết quả: phân tích độ nhạy toàn cục",
        "Which factors decide the outcome: global sensitivity analysis",
    ),
    "nb_design": (
        "Mỗi dòng mẫu (SALib) là một tổ hợp mức đòn bẩy (đạt vào năm mục tiêu, tăng dần tuyến tính từ mức "
        "hiện tại) và giá trị các tham số (đều trên khoảng 5–95% của phân phối tiên nghiệm). Mỗi dòng được "
        "tính trên cùng {draws} lần mô phỏng các địa phương khác (số ngẫu nhiên chung); kết quả của dòng là "
        "trung bình trên các lần đó. Tổng cộng {rows} dòng × {draws} = {runs} lần chạy mô hình trong "
        "{seconds:.1f} giây.",
        "Each sample row (SALib) is one combination of lever targets (reached by the target year on a "
        "linear ramp from today's value) and parameter values (uniform over their 5–95% prior range). "
        "Each row runs on the same {draws} draws of the other units (common random numbers); the row's "
        "outcome is the mean over those draws. In all {rows} rows × {draws} = {runs} model runs in "
        "{seconds:.1f} s.",
    ),
    "nb_table": ("Bảng chỉ số độ nhạy", "Sensitivity indices"),
    "nb_excluded": ("Tham số không đưa vào phân tích", "Parameters left out"),
    "lever": ("đòn bẩy", "lever"),
    "parameter": ("giả định", "assumption"),
    "excluded_cost_only": (
        "chỉ ảnh hưởng tới số phí miễn giảm, không tới kết quả",
        "enters only the fee forgone, not the outcome",
    ),
    "excluded_trend_estimated": (
        "không dùng: xu hướng {index} được ước lượng từ các điểm trung bình đã công bố đến năm {year}",
        "not used: the {index} trend is estimated from published averages up to {year}",
    ),
    "excluded_group_not_varied": (
        "nhóm tham số “{group}” không được thay đổi trong phân tích độ nhạy",
        "group '{group}' is not varied by the sensitivity analysis",
    ),
    "excluded_field_not_varied": (
        "tham số về các địa phương khác này không được thay đổi trong phân tích độ nhạy",
        "field parameter not varied by the sensitivity analysis",
    ),
}

# target: words of simlib/target.py
TARGET: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "nb_title": ("Con đường ít tốn công nhất để đạt mục tiêu", "The least-effort way to the target"),
    "nb_method": (
        "Nỗ lực = tổng mức tăng của các đòn bẩy so với hiện tại (điểm phần trăm, có thể có trọng số); chi phí "
        "= phí, lệ phí miễn giảm (tỷ đồng/năm, trung bình các lần mô phỏng) trong năm mục tiêu. Mỗi thiết lập được tính trên cùng {draws} "
        "lần mô phỏng (số ngẫu nhiên chung); xác suất là tỷ lệ số lần đạt mục tiêu. Tìm kiếm: lưới thô trên mọi "
        "đòn bẩy, rồi tinh chỉnh bằng SLSQP (scipy) và kiểm tra lại trên xác suất Monte-Carlo chính xác.",
        "Effort = the sum of the levers' increases over today's values (share points, optionally "
        "weighted); cost = fees forgone (bn VND per year, the mean over the draws) in the target year. Every setting runs on the "
        "same {draws} draws (common random numbers); the probability is the share of draws reaching the "
        "target. Search: a coarse grid over every lever, refined with SLSQP (scipy) and checked on the "
        "exact Monte-Carlo probability.",
    ),
    "nb_answer": ("Câu trả lời", "The answer"),
    "col_lever": ("Đòn bẩy", "Lever"),
    "col_label": ("Nội dung", "Label"),
    "col_current_pct": ("Hiện tại (%)", "Today (%)"),
    "col_setting_pct": ("Thiết lập (%)", "Setting (%)"),
    "col_change_pts": ("Tăng (điểm %)", "Change (points)"),
    "col_lever_pct": ("{lever} (%)", "{lever} (%)"),
    "col_p": ("Xác suất", "Probability"),
    "col_cost_bn_vnd": ("Phí miễn giảm, trung bình (tỷ đồng/năm)", "Fees forgone, mean (bn VND/yr)"),
    "evaluated": (
        "Đã tính {n:,} thiết lập đòn bẩy × {draws:,} lần mô phỏng trong {seconds:.1f} giây ({method}).",
        "{n:,} lever settings × {draws:,} draws evaluated in {seconds:.1f} s ({method}).",
    ),
    "method_grid": ("lưới", "grid"),
    "method_grid_slsqp": ("lưới + SLSQP", "grid + SLSQP"),
    "par_top": ("PAR trong top {rank}", "PAR top-{rank}"),
    "sipas_at_least": ("SIPAS ≥ {sipas:g}%", "SIPAS ≥ {sipas:g}%"),
    "and": (" và ", " and "),
    "the_target": ("mục tiêu", "the target"),
    "in_year": (" năm {year}", " in {year}"),
    "within_budget": (
        " trong ngân sách {budget:g} tỷ đồng/năm (trung bình)",
        " within the budget of {budget:g} bn VND/yr (mean)",
    ),
    "no_budget": (
        "Không có thiết lập nào giữ phí miễn giảm trong ngân sách: thiết lập rẻ nhất vẫn tốn "
        "{cheapest:.1f} tỷ đồng/năm (trung bình).",
        "No lever setting keeps the fees forgone within the budget: the cheapest still costs {cheapest:.1f} bn "
        "VND/yr (mean).",
    ),
    "already": (
        "Đã đạt với thiết lập hiện tại: P({what}{year}) = {p:.2f} (khoảng 90%: {lo:.2f}–{hi:.2f}) ≥ {prob:.2f}.",
        "Already reached with today's settings: P({what}{year}) = {p:.2f} (90% interval {lo:.2f}–{hi:.2f}) "
        "≥ {prob:.2f}.",
    ),
    "reachable": (
        "Có thể đạt: P({what}{year}) = {p:.2f} (khoảng 90%: {lo:.2f}–{hi:.2f}) ≥ {prob:.2f} với nỗ lực ít "
        "nhất{budget}: {settings}.",
        "Reachable: P({what}{year}) = {p:.2f} (90% interval {lo:.2f}–{hi:.2f}) ≥ {prob:.2f} at the least "
        "effort{budget}: {settings}.",
    ),
    "effort": (
        "Nỗ lực: {effort:.1f} điểm phần trăm tăng thêm; phí miễn giảm {cost:.1f} tỷ đồng/năm (trung bình).",
        "Effort: {effort:.1f} share points of increase; fees forgone {cost:.1f} bn VND/yr (mean).",
    ),
    "out_of_reach": (
        "Ngoài tầm với theo các giả định của mô hình: kể cả khi mọi đòn bẩy ở mức tối đa{budget}, "
        "P({what}{year}) = {p:.2f} < {prob:.2f}.",
        "Out of reach under the model's assumptions: even with every lever at its maximum{budget}, "
        "P({what}{year}) = {p:.2f} < {prob:.2f}.",
    ),
    "setting_moved": (
        "{label} {start} → {value} ({change:+.1f} điểm)",
        "{label} {start} → {value} ({change:+.1f} pts)",
    ),
    "setting_kept": ("{label} {value} (giữ nguyên)", "{label} {value} (unchanged)"),
    "why_noise": (
        "Ở lần mô phỏng trung vị, PAR của {unit} ({par50:.2f}) cao hơn địa phương đứng thứ {nth} trong số "
        "còn lại ({k50:.2f}), nhưng độ bất định của các địa phương khác chi phối: điểm của địa phương đó dao "
        "động {k05:.2f}–{k95:.2f} (5–95%), trong khi mọi đòn bẩy cộng lại chỉ thêm {gain:+.2f} điểm (trung "
        "vị) cho {unit}; P(top {n}) = {p:.2f}.",
        "On the median draw {unit}'s PAR ({par50:.2f}) is above the {nth}-best other unit's ({k50:.2f}), but "
        "the field's uncertainty dominates: that unit's score ranges {k05:.2f}–{k95:.2f} (5–95%) while every "
        "lever together adds only {gain:+.2f} points (median) to {unit}'s PAR; P(top {n}) = {p:.2f}.",
    ),
    "why_small": (
        "Tác động của các đòn bẩy quá nhỏ: cộng lại chỉ thêm {gain:+.2f} điểm PAR (trung vị), và ở lần mô "
        "phỏng trung vị {unit} ({par50:.2f}) vẫn kém địa phương đứng thứ {nth} trong số còn lại ({k50:.2f}) "
        "{gap:.2f} điểm; P(top {n}) = {p:.2f}.",
        "The levers' effects are too small: together they add {gain:+.2f} PAR points (median), and on the "
        "median draw {unit} ({par50:.2f}) still trails the {nth}-best other unit ({k50:.2f}) by {gap:.2f} "
        "points; P(top {n}) = {p:.2f}.",
    ),
    "why_sipas": (
        "SIPAS ≥ {sipas:g}% chỉ đạt ở {share:.0f}% số lần mô phỏng: các đòn bẩy thêm {gain:+.2f} điểm "
        "(trung vị), tới trung vị {s50:.1f}% (5–95%: {s05:.1f}–{s95:.1f}%).",
        "SIPAS ≥ {sipas:g}% is reached in only {share:.0f}% of draws: the levers add {gain:+.2f} points "
        "(median), to a median of {s50:.1f}% (5–95%: {s05:.1f}–{s95:.1f}%).",
    ),
    "why_both": (
        "Từng mục tiêu riêng lẻ đủ khả năng (P = {p_rank:.2f} và {p_sipas:.2f}), nhưng cả hai cùng lúc chỉ "
        "P = {p:.2f}.",
        "Each target alone is likely enough (P = {p_rank:.2f} and {p_sipas:.2f}), but both together only P = {p:.2f}.",
    ),
    "tradeoff_none": (
        "Không mức nào của “{along}” đạt mục tiêu trên lưới này.",
        "No setting of '{along}' reaches the target on this grid.",
    ),
    "tradeoff_free": (
        "Mục tiêu đạt được với “{solve}” ở mức thấp nhất, với mọi mức “{along}” đạt được: không cần đánh đổi.",
        "The target is reached with '{solve}' at its lowest setting for every reaching setting of "
        "'{along}': no trade-off is needed.",
    ),
    "tradeoff_rate": (
        "Đánh đổi: mỗi điểm phần trăm “{along}” thay thế khoảng {rate:.2f} điểm phần trăm “{solve}” "
        "(trung vị dọc đường cong).",
        "Trade-off: each share point of '{along}' replaces about {rate:.2f} share points of '{solve}' "
        "(median along the curve).",
    ),
    "fig_probability": ("Xác suất đạt mục tiêu", "Probability of reaching the target"),
    "fig_least": ("Mức tối thiểu đạt P ≥ {prob:g}", "Least setting with P ≥ {prob:g}"),
    "fig_least_effort": ("Nỗ lực ít nhất", "Least effort"),
    "nb_settings": ("Thiết lập các đòn bẩy", "Lever settings"),
    "nb_tradeoff": ("Đánh đổi giữa hai đòn bẩy", "Trade-off between two levers"),
    "nb_tradeoff_note": (
        "Với mỗi mức “{along}”, mức “{solve}” thấp nhất đạt mục tiêu với xác suất ≥ {prob:g}; các "
        "đòn bẩy khác giữ ở mức của lời giải (hoặc tối đa nếu ngoài tầm với).",
        "For each setting of '{along}', the lowest setting of '{solve}' that reaches the target with "
        "probability ≥ {prob:g}; the other levers stay at the solution's settings (or their maximum "
        "when the target is out of reach).",
    ),
}

# calibration: words of simlib/calibration.py
CALIBRATION: dict[str, tuple[str, str]] = {
    "variant_published": ("Công bố", "Published"),
    "variant_no_levers": ("Mô hình từ 2022, không đòn bẩy", "Model from 2022, no levers"),
    "variant_all_new": (
        "Mô hình từ 2022, đòn bẩy thực tế (toàn bộ mới trong 2023–24)",
        "Model from 2022, actual levers (all new in 2023–24)",
    ),
    "variant_half_new": (
        "Mô hình từ 2022, đòn bẩy thực tế (một nửa mới trong 2023–24)",
        "Model from 2022, actual levers (half new in 2023–24)",
    ),  # key: (vi, en)
    "nb_title": (
        "Hiệu chỉnh và kiểm định mô hình trên các năm đã công bố",
        "Calibration: the model on the years published",
    ),
    "nb_backtest": ("Dự báo lại các năm đã công bố", "Backtests: projecting the published years"),
    "nb_backtest_note": (
        "Mỗi năm Y được dự báo chỉ từ dữ liệu đến năm Y − 1 và so với các điểm đã công bố. Dự báo đơn "
        "giản: điểm năm trước của mỗi tỉnh cộng xu hướng chung của cả nước.",
        "Each year Y is projected from data up to Y − 1 only and compared with the published scores. "
        "Naive forecast: each province's previous score plus the national trend.",
    ),
    "nb_reconstruction": (
        "Phần đã công bố và phần ước tính lại của mỗi năm",
        "What is published and what is reconstructed, per year",
    ),
    "nb_reconstruction_note": (
        "Bảng đầy đủ 63 tỉnh chỉ được công bố dạng ảnh: phần còn lại được ước tính lại từ thứ hạng, "
        "điểm trung bình, cao nhất, thấp nhất và số tỉnh nhóm A; độ bất định của phần này đi vào "
        "mọi lần mô phỏng.",
        "Full 63-province tables are published only as images: the rest is reconstructed from "
        "ranks, the average, maximum, minimum and group counts; its uncertainty goes into every "
        "draw.",
    ),
    "nb_hanoi": (
        "Hà Nội 2022 → 2024: công bố và dự báo từ năm 2022",
        "Hà Nội 2022 → 2024: published and projected from 2022",
    ),
    "nb_hanoi_note": (
        "Kịch bản gốc năm 2022 với các đòn bẩy Hà Nội đã thực hiện: miễn phí nộp trực tuyến từ 7/2023 "
        "(0,5 của năm 2023; 1,0 năm 2024), 211 TTHC được đơn giản hóa (29,8%) và 578 TTHC được ủy quyền "
        "(30,5%) đến năm 2024. Số liệu đòn bẩy chỉ có từ 2024, nên mức năm 2022 là giả định, với hai cận: "
        "toàn bộ là mới trong 2023–24 (cận trên của tác động) hoặc một nửa đã có từ 2022. Tỷ lệ nộp trực "
        "tuyến đầu 2023 giả định 30%.",
        "Baseline-2022 scenario with the levers Hà Nội actually moved: zero online fee from July 2023 "
        "(0.5 of 2023, 1.0 in 2024), 211 procedures simplified (29.8%) and 578 delegated (30.5%) by 2024. "
        "The lever data start in 2024, so the 2022 values are assumptions, bracketed: all of it new in "
        "2023–24 (the upper bound of the effect) or half of it already in place in 2022. The online "
        "share going into 2023 is taken as 30%.",
    ),
    "nb_starts": ("Giả định về mức đòn bẩy 2022 và lộ trình 2023–24", "Assumed 2022 lever values and 2023–24 paths"),
    "nb_effect": (
        "Tác động của các đòn bẩy 2023–24 theo mô hình (năm 2024)",
        "The model's effect of the 2023–24 levers (2024)",
    ),
    "verdict": (
        "Mô hình tốt hơn dự báo đơn giản ở {wins}/{done} năm kiểm tra; khoảng 90% của mô hình chứa trung "
        "bình {cover:.0f}% điểm công bố (mục tiêu 90%).",
        "The model beats the naive forecast in {wins} of {done} backtested years; its 90% band holds "
        "{cover:.0f}% of the published scores on average (target 90%).",
    ),
    "par_score": ("Điểm PAR Index", "PAR Index score"),
    "sipas_pct": ("SIPAS (%)", "SIPAS (%)"),
    "path_title": (
        "Hà Nội: công bố 2022–2024 và dự báo từ 2022 (trung vị, khoảng 5–95%)",
        "Hà Nội: published 2022–2024 and projected from 2022 (median, 5–95% band)",
    ),
    "model": ("Mô hình", "Model"),
    "naive": ("Dự báo đơn giản", "Naive forecast"),
    "mae_axis": ("Sai số tuyệt đối trung bình (điểm)", "Mean absolute error (points)"),
    "nb_effect_note": (
        "So với mức tăng vượt trung bình cả nước đã công bố của Hà Nội trong 2022–24.",
        "Compared with Hà Nội's published gain over the national average in 2022–24.",
    ),
}


# evaluation: words of the evaluation harness (simlib/analysis/harness.py, simlib/reports/evaluation.py)
EVALUATION: dict[str, tuple[str, str]] = {
    "index_PAR": ("PAR Index", "PAR Index"),
    "index_SIPAS": ("SIPAS", "SIPAS"),
    "horizon": ("{index}, dự báo trước {horizon} năm", "{index}, {horizon} year(s) ahead"),
    "beats": (
        "mô hình tốt hơn cách lấy kết quả năm trước cộng xu hướng chung (CRPS {model} so với {naive} điểm)",
        "the model beats carrying last year forward plus the national trend (CRPS {model} vs {naive} points)",
    ),
    "loses": (
        "mô hình KHÔNG tốt hơn cách lấy kết quả năm trước cộng xu hướng chung (CRPS {model} so với {naive} điểm)",
        "the model does NOT beat carrying last year forward plus the national trend (CRPS {model} vs {naive} points)",
    ),
    "band_ok": (
        "khoảng 90% chứa {cover} điểm số đã công bố ({n} trường hợp; mục tiêu 85–95%)",
        "its 90% band held {cover} of published scores ({n} cases; target 85–95%)",
    ),
    "band_narrow": (
        "khoảng 90% chỉ chứa {cover} điểm số đã công bố ({n} trường hợp): thấp hơn mục tiêu 85–95%",
        "its 90% band held only {cover} of published scores ({n} cases): below the 85–95% target",
    ),
    "band_wide": (
        "khoảng 90% chứa {cover} điểm số đã công bố ({n} trường hợp): cao hơn mục tiêu 85–95%",
        "its 90% band held {cover} of published scores ({n} cases): above the 85–95% target",
    ),
    "band_in": (
        "khoảng 90% chứa {cover} điểm số đã công bố ({n} trường hợp); một mô hình có khoảng đúng sẽ chứa từ {lo} "
        "đến {hi} trong chính các trường hợp này, vì chúng ít và biến động cùng nhau: phù hợp với khoảng đúng",
        "its 90% band held {cover} of published scores ({n} cases); a model whose bands were right would hold "
        "between {lo} and {hi} of these same cases, which are few and move together: consistent with right bands",
    ),
    "band_below": (
        "khoảng 90% chỉ chứa {cover} điểm số đã công bố ({n} trường hợp); một mô hình có khoảng đúng sẽ chứa từ "
        "{lo} đến {hi} trong chính các trường hợp này: thấp hơn mức đó, khoảng quá hẹp",
        "its 90% band held only {cover} of published scores ({n} cases); a model whose bands were right would "
        "hold between {lo} and {hi} of these same cases: below that, the bands are too narrow",
    ),
    "band_above": (
        "khoảng 90% chứa {cover} điểm số đã công bố ({n} trường hợp); một mô hình có khoảng đúng sẽ chứa từ {lo} "
        "đến {hi} trong chính các trường hợp này: cao hơn mức đó, khoảng rộng hơn cần thiết",
        "its 90% band held {cover} of published scores ({n} cases); a model whose bands were right would hold "
        "between {lo} and {hi} of these same cases: above that, the bands are wider than needed",
    ),
    "full_table": (
        "Bảng đầy đủ ({rows} dòng, theo từng năm và nhóm trường hợp): --all, hoặc --format csv để đọc bằng máy.",
        "The full table ({rows} rows, by year and by group of cases): --all, or --format csv for a machine.",
    ),
    "ranks": (
        "thứ hạng: khoảng 90% chứa {cover} thứ hạng đã công bố; CRPS thứ hạng {model} bậc, so với {persist} bậc "
        "nếu giữ nguyên thứ hạng năm trước (sai số của thứ hạng trung vị: {median} bậc)",
        "ranks: the 90% band held {cover} of published ranks; rank CRPS {model} places against {persist} for "
        "keeping last year's rank (error of the median rank: {median} places)",
    ),
    "rank_band": (
        "thứ hạng: khoảng 90% chứa {cover} thứ hạng đã công bố",
        "ranks: the 90% band held {cover} of published ranks",
    ),
    "rank_scores": (
        "CRPS thứ hạng {model} bậc, so với {spread} bậc nếu giữ nguyên thứ hạng năm trước với độ phân tán của "
        "các thay đổi đã qua; thứ hạng trung vị sai {median} bậc, so với {persist} bậc nếu giữ nguyên thứ hạng "
        "năm trước",
        "rank CRPS {model} places against {spread} for last year's rank with the spread of past changes; the "
        "median rank missed by {median} places against {persist} for keeping last year's rank",
    ),
    "few": ("quá ít trường hợp để kết luận ({n})", "too few cases to judge ({n})"),
    "calibrated_in": (
        "một mô hình có khoảng đúng sẽ chứa từ {lo} đến {hi} trong chính các trường hợp này, "
        "vì chúng ít và biến động cùng nhau: kết quả phù hợp với khoảng đúng",
        "a model whose bands were right would hold between {lo} and {hi} of these same cases, which "
        "are few and move together: consistent with right bands",
    ),
    "calibrated_out": (
        "một mô hình có khoảng đúng sẽ chứa từ {lo} đến {hi} trong chính các trường hợp này: "
        "kết quả nằm ngoài mức đó, khoảng chưa đúng",
        "a model whose bands were right would hold between {lo} and {hi} of these same cases: "
        "outside that, the bands are off",
    ),
    "reconstruction": (
        "{index}, ước tính lại phần chưa công bố (kiểm định chéo): sai số điểm trung bình {mae} điểm, "
        "sai số thứ hạng trung bình {rank_mae} bậc, khoảng 90% chứa {cover} thứ hạng đã công bố",
        "{index}, reconstruction of unpublished values (cross-validated): mean score error {mae} points, "
        "mean rank error {rank_mae} places, the 90% band held {cover} of published ranks",
    ),
    "reconstruction_province_year": (
        "{index}, ước tính lại phần chưa công bố (kiểm định chéo, ẩn cả năm của một tỉnh ở cả hai chỉ số): "
        "sai số điểm trung bình {mae} điểm, sai số thứ hạng trung bình {rank_mae} bậc, khoảng 90% chứa "
        "{cover} thứ hạng đã công bố",
        "{index}, reconstruction of unpublished values (cross-validated with a province's whole year hidden, "
        "both indices): mean score error {mae} points, mean rank error {rank_mae} places, the 90% band held "
        "{cover} of published ranks",
    ),
    "reconstruction_one_value": (
        "khi chỉ ẩn từng giá trị (vẫn thấy chỉ số kia cùng năm), sai số thứ hạng là {rank_mae} bậc",
        "hiding one value at a time (the other index's figure that year still seen), the rank error is "
        "{rank_mae} places",
    ),
    "reconstruction_by_stood": (
        "theo vị trí của thứ hạng bị ẩn: khoảng 90% chứa {middle} trong số {n_middle} thứ hạng ở "
        "giữa bảng, {top} trong số {n_top} ở nhóm {places} đầu và {bottom} trong số {n_bottom} ở "
        "nhóm {places} cuối (các tỉnh chưa được công bố phần lớn ở giữa bảng)",
        "by where the hidden rank stood: the 90% band held {middle} of {n_middle} ranks in "
        "mid-field, {top} of {n_top} in the top {places} and {bottom} of {n_bottom} in the bottom "
        "{places} (the provinces left unpublished are mostly mid-field)",
    ),
    "track_record": (
        "{index}, dự báo {ahead}: các năm trước, khoảng 90% của mô hình chứa kết quả thực tế khoảng "
        "{tenths} lần trong 10; điểm số sai điển hình {model} điểm (so với {naive} điểm nếu lấy kết quả năm "
        "trước cộng xu hướng chung), thứ hạng sai {rank} bậc (so với {persist} bậc nếu giữ nguyên thứ hạng "
        "năm trước).",
        "{index}, {ahead}: in past years the model's 90% band held the real result about {tenths} times "
        "in 10; its score typically missed by {model} points (against {naive} for last year's result plus "
        "the national trend) and its rank by {rank} places (against {persist} for keeping last year's rank).",
    ),
    "track_record_published": (
        "Với các tỉnh đã có kết quả công bố ở năm bắt đầu dự báo, khoảng 90% chứa kết quả thực tế "
        "{published} (với các tỉnh chưa được công bố năm đó: {reconstructed}).",
        "For provinces published in the year the forecast starts from, the 90% band held the real result "
        "{published} ({reconstructed} for those that were not).",
    ),
    "track_record_published_ranks": (
        "; thứ hạng trung vị của các tỉnh đó sai {rank} bậc (so với {persist} bậc nếu giữ nguyên thứ hạng năm trước).",
        ", and their median rank missed by {rank} places (against {persist} for keeping last year's rank).",
    ),
    "rank_no_better": (
        "Ở khoảng cách này, thứ hạng trung vị của mô hình không tốt hơn việc giữ nguyên thứ hạng năm trước: "
        "hãy dựa vào khoảng dự báo, đừng dựa vào một con số thứ hạng.",
        "At this distance the model's median rank is no better than keeping last year's rank: rely on its "
        "band, not on a single rank.",
    ),
    "rank_better": (
        "Ở khoảng cách này, thứ hạng trung vị của mô hình gần đúng hơn việc giữ nguyên thứ hạng năm trước.",
        "At this distance the model's median rank came closer than keeping last year's rank.",
    ),
    "ahead_1": ("trước 1 năm", "1 year ahead"),
    "ahead_n": ("trước {n} năm", "{n} years ahead"),
    "ahead_more": (
        "trước từ {n} năm trở lên (số liệu kiểm định trước {n} năm)",
        "{n} or more years ahead (tested {n} years ahead)",
    ),
    "ahead_longest": (
        "trước từ {asked} năm trở lên (kiểm định dài nhất là trước {n} năm)",
        "{asked} or more years ahead (the longest tested is {n} years ahead)",
    ),
    "times_in_ten": ("khoảng {tenths} lần trong 10", "about {tenths} times in 10"),
    "by_origin": ("theo điểm xuất phát", "by where the forecast started"),
    "by_origin_scores": (
        "khoảng 90% chứa {published} trong số {n_published} điểm số của các tỉnh đã được công bố vào "
        "năm xuất phát và {reconstructed} trong số {n_reconstructed} điểm số của các tỉnh chưa được "
        "công bố",
        "the 90% band held {published} of {n_published} scores of provinces published at the "
        "origin and {reconstructed} of {n_reconstructed} of those that were not",
    ),
    "by_origin_ranks": (
        "thứ hạng: {published} trong số {n_published} (đã công bố) và {reconstructed} trong số "
        "{n_reconstructed} (chưa công bố)",
        "ranks: {published} of {n_published} (published) and {reconstructed} of {n_reconstructed} (not published)",
    ),
    "track_record_missing": (
        "Chưa có bảng đánh giá mô hình đã lưu (chạy: simlib evaluate --write).",
        "No stored evaluation of the model yet (run: simlib evaluate --write).",
    ),
    "stale": (
        "Bảng đánh giá đã lưu không còn khớp với dữ liệu và mô hình hiện tại (chạy lại: simlib evaluate --write).",
        "The stored evaluation no longer matches the current data and model (rerun: simlib evaluate --write).",
    ),
    "nb_title": ("Mô hình dự báo tốt đến đâu?", "How good is the model?"),
    "nb_table": ("Điểm kiểm định gộp các năm", "Scores pooled over the years"),
    "nb_changes": ("Các thay đổi của mô hình và kết quả kiểm định", "Model changes and what the harness said"),
    "nb_verdicts": ("Kết luận theo chỉ số và số năm dự báo trước", "Verdicts by index and horizon"),
    "col_index": ("Chỉ số", "Index"),
    "col_horizon": ("Dự báo trước (năm)", "Years ahead"),
    "col_method": ("Cách dự báo", "Method"),
    "col_n_scores": ("Số điểm so sánh", "Scores compared"),
    "col_crps": ("CRPS (điểm)", "CRPS (points)"),
    "col_mae": ("Sai số tuyệt đối TB (điểm)", "Mean absolute error (points)"),
    "col_coverage_50": ("Khoảng 50% chứa", "50% band held"),
    "col_coverage_90": ("Khoảng 90% chứa", "90% band held"),
    "col_interval_score_90": ("Điểm khoảng 90%", "90% interval score"),
    "col_coverage_90_calibrated": ("Mô hình đúng sẽ chứa", "A right model would hold"),
    "col_rank_coverage_90_calibrated": ("Mô hình đúng sẽ chứa (thứ hạng)", "A right model would hold (ranks)"),
    "col_n_ranks": ("Số thứ hạng so sánh", "Ranks compared"),
    "col_rank_crps": ("CRPS thứ hạng (bậc)", "Rank CRPS (places)"),
    "col_rank_mae": ("Sai số thứ hạng TB (bậc)", "Mean rank error (places)"),
    "col_rank_coverage_90": ("Khoảng 90% chứa thứ hạng", "90% band held the rank"),
    "method_model": ("Mô hình", "Model"),
    "method_naive": ("Năm trước + xu hướng chung", "Last year + national trend"),
    "method_rank_persistence": ("Giữ nguyên thứ hạng", "Keep last year's rank"),
    "method_persistence_spread": (
        "Giữ nguyên thứ hạng, với độ phân tán của các thay đổi đã qua",
        "Keep last year's rank, with the spread of past changes",
    ),
    "method_reconstruction": (
        "Ước tính lại (kiểm định chéo, bỏ từng giá trị)",
        "Reconstruction (cross-validated, one value out)",
    ),
    "method_reconstruction_province_year": (
        "Ước tính lại (kiểm định chéo, bỏ cả tỉnh-năm)",
        "Reconstruction (cross-validated, province-year out)",
    ),
    "method_reconstruction_province": (
        "Ước tính lại (kiểm định chéo, bỏ cả tỉnh)",
        "Reconstruction (cross-validated, province out)",
    ),
    # the same methods in the short tables under simlib evaluate's verdicts (a screen wide)
    "method_short_model": ("Mô hình", "Model"),
    "method_short_naive": ("Năm trước + xu hướng", "Last year + trend"),
    "method_short_rank_persistence": ("Thứ hạng năm trước", "Last year's rank"),
    "method_short_persistence_spread": ("Thứ hạng năm trước ± thay đổi", "Last year's rank ± changes"),
    "method_short_reconstruction": ("Ước tính lại: bỏ 1 giá trị", "Rebuilt: one value out"),
    "method_short_reconstruction_province_year": ("Ước tính lại: bỏ tỉnh-năm", "Rebuilt: province-year out"),
    "method_short_reconstruction_province": ("Ước tính lại: bỏ cả tỉnh", "Rebuilt: province out"),
    # short headers of those tables (the rank table's own words repeat what its title column says)
    "col_short_horizon": ("Trước (năm)", "Years ahead"),
    "col_short_n_scores": ("Số điểm", "Scores"),
    "col_short_n_ranks": ("Số thứ hạng", "Ranks"),
    "col_short_rank_crps": ("CRPS hạng (bậc)", "Rank CRPS (places)"),
    "col_short_rank_coverage_90": ("Khoảng 90% chứa", "90% band held"),
    "col_short_rank_coverage_90_calibrated": ("Mô hình đúng sẽ chứa", "A right model would hold"),
    "col_change": ("Thay đổi", "Change"),
    "col_kept": ("Giữ lại", "Kept"),
    "col_measure": ("Thước đo", "Measure"),
    "col_before": ("Trước", "Before"),
    "col_after": ("Sau", "After"),
    "col_source": ("Nguồn, căn cứ", "Source"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "nb_note": (
        "Mỗi năm đã công bố được dự báo lại 1, 2 và 3 năm trước chỉ từ dữ liệu có đến lúc đó, và so với "
        "cách lấy kết quả năm trước cộng xu hướng chung. CRPS đo cả độ chính xác lẫn độ rộng của dự báo "
        "(điểm; càng nhỏ càng tốt).",
        "Every published year is projected again 1, 2 and 3 years ahead from the data available then, and "
        "set beside carrying last year forward plus the national trend. The CRPS measures both accuracy and "
        "the width of the forecast (points; lower is better).",
    ),
}
