"""Labels in Vietnamese (default) and English: one place for every word a reader sees.

``t(key, lang)`` returns the label; unknown keys raise KeyError so a missing
translation is caught by the tests rather than shown as a raw key.
"""
from __future__ import annotations

from ..engine import outcomes

LANGS = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {  # key: (vi, en)
    # the outcomes of Result.rows(): their labels are declared with them (simlib.engine.outcomes)
    **outcomes.labels(),
    # statistics
    "mean": ("Trung bình", "Mean"),
    "p05": ("Phân vị 5%", "5th percentile"),
    "p50": ("Trung vị", "Median"),
    "p95": ("Phân vị 95%", "95th percentile"),
    "band_90": ("Khoảng 5–95%", "5–95% band"),
    "median": ("Trung vị", "Median"),
    "probability": ("Xác suất", "Probability"),
    "pp": ("điểm %", "pp"),  # a difference of two shares, in percentage points
    # axes and common words
    "year": ("Năm", "Year"),
    "rank": ("Thứ hạng (1 = cao nhất)", "Rank (1 = best)"),
    "score": ("Điểm", "Score"),
    "share_of_draws": ("Tỷ lệ số lần mô phỏng", "Share of simulation draws"),
    "scenario": ("Kịch bản", "Scenario"),
    "scenario_description": ("Mô tả", "Description"),
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
    "others_partial": ("{share}% các địa phương khác làm theo, từ năm {year}",
                       "{share}% of the other units copy it, from {year}"),
    "not_a_file_name": ("chỉ một tên tệp .yaml trong thư mục {folder} (không có đường dẫn, không có “..”)",
                        "a .yaml file name only, inside the folder {folder} (no path, no “..”)"),
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
    # rendered reports and batch pages
    "report_title": ("Báo cáo kịch bản", "Scenario report"),
    "scenario_reports": ("Báo cáo từng kịch bản", "Report of each scenario"),
    "status_ok": ("hoàn thành", "done"),
    "status_failed": ("lỗi", "failed"),
    "units_title": ("So sánh mọi địa phương theo từng kịch bản", "Every unit under each scenario"),
    "units_intro": ("Mỗi ô: xác suất vào nhóm 3, 5 và 10 địa phương dẫn đầu Chỉ số CCHC (PAR Index) năm {year} "
                    "(trong ngoặc: khoảng Monte-Carlo 95%) và thứ hạng trung vị (khoảng 5–95%); bấm vào ô để "
                    "mở báo cáo.", "Each cell: the probability of a PAR Index top-3, top-5 and top-10 place in "
                    "{year} (in brackets: its 95% Monte-Carlo interval) and the median rank (5–95% band); click "
                    "a cell to open its report."),
    "median_rank": ("thứ hạng trung vị", "median rank"),
    "top_k": ("top {k}", "top {k}"),  # as Vietnamese press writes it ("top 3 cả nước")
    "not_run": ("không chạy được", "did not run"),
    "comparison_failed": ("Không lập được trang so sánh; dưới đây là danh sách báo cáo và các số liệu chính",
                          "The comparison could not be rendered; the reports and headline numbers are below"),
}


# sensitivity: words of simlib/sensitivity.py
SENSITIVITY: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "depends_most": ("Kết quả phụ thuộc nhiều nhất vào {first}", "The answer depends most on {first}"),
    "then": (", tiếp theo là {rest}", ", then {rest}"),
    "and": (" và ", " and "),
    "st": ("chỉ số tổng {value}", "total-effect index {value}"),
    "mu": ("μ* {value}", "μ* {value}"),
    "split": ("Các đòn bẩy chính sách (thành phố chủ động được) giải thích khoảng {levers} biến động của kết quả; "
              "các giả định của mô hình khoảng {parameters}.",
              "The levers (what the city controls) explain about {levers} of the outcome's variation on their own; "
              "the model's assumptions about {parameters}."),
    "flat": ("Kết quả gần như không đổi trên toàn bộ miền khảo sát: không yếu tố nào quyết định.",
             "The outcome hardly varies over the ranges studied: no factor decides it."),
    "title_sobol": ("Độ nhạy toàn cục (Sobol): {outcome}, năm {year}", "Global sensitivity (Sobol): {outcome}, {year}"),
    "title_morris": ("Sàng lọc Morris: {outcome}, năm {year}", "Morris screening: {outcome}, {year}"),
    "st_axis": ("Chỉ số Sobol (tổng ST, bậc 1 S1; khoảng tin cậy 95%)",
                "Sobol index (total ST, first-order S1; 95% confidence)"),
    "mu_axis": ("μ* (thay đổi kết quả trên toàn miền của yếu tố)", "μ* (change of the outcome over the factor's range)"),
    "swing_title": ("Kết quả khi từng yếu tố ở mức thấp / cao", "Outcome with one factor at its low / high end"),
    "low": ("mức thấp", "low end"),
    "high": ("mức cao", "high end"),
    "nb_title": ("Yếu tố nào quyết định kết quả: phân tích độ nhạy toàn cục",
                 "Which factors decide the outcome: global sensitivity analysis"),
    "nb_design": ("Mỗi dòng mẫu (SALib) là một tổ hợp mức đòn bẩy (đạt vào năm mục tiêu, tăng dần tuyến tính từ mức "
                  "hiện tại) và giá trị các tham số (đều trên khoảng 5–95% của phân phối tiên nghiệm). Mỗi dòng được "
                  "tính trên cùng {draws} lần mô phỏng các địa phương khác (số ngẫu nhiên chung); kết quả của dòng là "
                  "trung bình trên các lần đó. Tổng cộng {rows} dòng × {draws} = {runs} lần chạy mô hình trong "
                  "{seconds:.1f} giây.",
                  "Each sample row (SALib) is one combination of lever targets (reached by the target year on a "
                  "linear ramp from today's value) and parameter values (uniform over their 5–95% prior range). "
                  "Each row runs on the same {draws} draws of the other units (common random numbers); the row's "
                  "outcome is the mean over those draws. In all {rows} rows × {draws} = {runs} model runs in "
                  "{seconds:.1f} s."),
    "nb_table": ("Bảng chỉ số độ nhạy", "Sensitivity indices"),
    "nb_excluded": ("Tham số không đưa vào phân tích", "Parameters left out"),
    "lever": ("đòn bẩy", "lever"),
    "parameter": ("giả định", "assumption"),
    "excluded_cost_only": ("chỉ ảnh hưởng tới số phí miễn giảm, không tới kết quả",
                           "enters only the fee forgone, not the outcome"),
    "excluded_trend_estimated": ("không dùng: xu hướng {index} được ước lượng từ các điểm trung bình đã công bố "
                                 "đến năm {year}",
                                 "not used: the {index} trend is estimated from published averages up to {year}"),
    "excluded_group_not_varied": ("nhóm tham số “{group}” không được thay đổi trong phân tích độ nhạy",
                                  "group '{group}' is not varied by the sensitivity analysis"),
    "excluded_field_not_varied": ("tham số về các địa phương khác này không được thay đổi trong phân tích độ nhạy",
                                  "field parameter not varied by the sensitivity analysis"),
}

# target: words of simlib/target.py
TARGET: dict[str, tuple[str, str]] = {  # key: (vi, en)
    "nb_title": ("Con đường ít tốn công nhất để đạt mục tiêu", "The least-effort way to the target"),
    "nb_method": ("Nỗ lực = tổng mức tăng của các đòn bẩy so với hiện tại (điểm phần trăm, có thể có trọng số); chi phí "
                  "= phí, lệ phí miễn giảm (tỷ đồng/năm) trong năm mục tiêu. Mỗi thiết lập được tính trên cùng {draws} "
                  "lần mô phỏng (số ngẫu nhiên chung); xác suất là tỷ lệ số lần đạt mục tiêu. Tìm kiếm: lưới thô trên mọi "
                  "đòn bẩy, rồi tinh chỉnh bằng SLSQP (scipy) và kiểm tra lại trên xác suất Monte-Carlo chính xác.",
                  "Effort = the sum of the levers' increases over today's values (share points, optionally "
                  "weighted); cost = fees forgone (bn VND per year) in the target year. Every setting runs on the "
                  "same {draws} draws (common random numbers); the probability is the share of draws reaching the "
                  "target. Search: a coarse grid over every lever, refined with SLSQP (scipy) and checked on the "
                  "exact Monte-Carlo probability."),
    "nb_answer": ("Câu trả lời", "The answer"),
    "par_top": ("PAR trong top {rank}", "PAR top-{rank}"),
    "sipas_at_least": ("SIPAS ≥ {sipas:g}%", "SIPAS ≥ {sipas:g}%"),
    "and": (" và ", " and "),
    "the_target": ("mục tiêu", "the target"),
    "in_year": (" năm {year}", " in {year}"),
    "within_budget": (" trong ngân sách {budget:g} tỷ đồng/năm", " within the budget of {budget:g} bn VND/yr"),
    "no_budget": ("Không có thiết lập nào giữ phí miễn giảm trong ngân sách: thiết lập rẻ nhất vẫn tốn "
                  "{cheapest:.1f} tỷ đồng/năm.",
                  "No lever setting keeps the fees forgone within the budget: the cheapest still costs "
                  "{cheapest:.1f} bn VND/yr."),
    "already": ("Đã đạt với thiết lập hiện tại: P({what}{year}) = {p:.2f} (khoảng 90%: {lo:.2f}–{hi:.2f}) ≥ {prob:.2f}.",
                "Already reached with today's settings: P({what}{year}) = {p:.2f} (90% interval {lo:.2f}–{hi:.2f}) "
                "≥ {prob:.2f}."),
    "reachable": ("Có thể đạt: P({what}{year}) = {p:.2f} (khoảng 90%: {lo:.2f}–{hi:.2f}) ≥ {prob:.2f} với nỗ lực ít "
                  "nhất{budget}: {settings}.",
                  "Reachable: P({what}{year}) = {p:.2f} (90% interval {lo:.2f}–{hi:.2f}) ≥ {prob:.2f} at the least "
                  "effort{budget}: {settings}."),
    "effort": ("Nỗ lực: {effort:.1f} điểm phần trăm tăng thêm; phí miễn giảm {cost:.1f} tỷ đồng/năm.",
               "Effort: {effort:.1f} share points of increase; fees forgone {cost:.1f} bn VND/yr."),
    "out_of_reach": ("Ngoài tầm với theo các giả định của mô hình: kể cả khi mọi đòn bẩy ở mức tối đa{budget}, "
                     "P({what}{year}) = {p:.2f} < {prob:.2f}.",
                     "Out of reach under the model's assumptions: even with every lever at its maximum{budget}, "
                     "P({what}{year}) = {p:.2f} < {prob:.2f}."),
    "setting_moved": ("{label} {start} → {value} ({change:+.1f} điểm)", "{label} {start} → {value} ({change:+.1f} pts)"),
    "setting_kept": ("{label} {value} (giữ nguyên)", "{label} {value} (unchanged)"),
    "why_noise": ("Ở lần mô phỏng trung vị, PAR của {unit} ({par50:.2f}) cao hơn địa phương đứng thứ {nth} trong số "
                  "còn lại ({k50:.2f}), nhưng độ bất định của các địa phương khác chi phối: điểm của địa phương đó dao "
                  "động {k05:.2f}–{k95:.2f} (5–95%), trong khi mọi đòn bẩy cộng lại chỉ thêm {gain:+.2f} điểm (trung "
                  "vị) cho {unit}; P(top {n}) = {p:.2f}.",
                  "On the median draw {unit}'s PAR ({par50:.2f}) is above the {nth}-best other unit's ({k50:.2f}), but "
                  "the field's uncertainty dominates: that unit's score ranges {k05:.2f}–{k95:.2f} (5–95%) while every "
                  "lever together adds only {gain:+.2f} points (median) to {unit}'s PAR; P(top {n}) = {p:.2f}."),
    "why_small": ("Tác động của các đòn bẩy quá nhỏ: cộng lại chỉ thêm {gain:+.2f} điểm PAR (trung vị), và ở lần mô "
                  "phỏng trung vị {unit} ({par50:.2f}) vẫn kém địa phương đứng thứ {nth} trong số còn lại ({k50:.2f}) "
                  "{gap:.2f} điểm; P(top {n}) = {p:.2f}.",
                  "The levers' effects are too small: together they add {gain:+.2f} PAR points (median), and on the "
                  "median draw {unit} ({par50:.2f}) still trails the {nth}-best other unit ({k50:.2f}) by {gap:.2f} "
                  "points; P(top {n}) = {p:.2f}."),
    "why_sipas": ("SIPAS ≥ {sipas:g}% chỉ đạt ở {share:.0f}% số lần mô phỏng: các đòn bẩy thêm {gain:+.2f} điểm "
                  "(trung vị), tới trung vị {s50:.1f}% (5–95%: {s05:.1f}–{s95:.1f}%).",
                  "SIPAS ≥ {sipas:g}% is reached in only {share:.0f}% of draws: the levers add {gain:+.2f} points "
                  "(median), to a median of {s50:.1f}% (5–95%: {s05:.1f}–{s95:.1f}%)."),
    "why_both": ("Từng mục tiêu riêng lẻ đủ khả năng (P = {p_rank:.2f} và {p_sipas:.2f}), nhưng cả hai cùng lúc chỉ "
                 "P = {p:.2f}.",
                 "Each target alone is likely enough (P = {p_rank:.2f} and {p_sipas:.2f}), but both together only "
                 "P = {p:.2f}."),
    "tradeoff_none": ("Không mức nào của “{along}” đạt mục tiêu trên lưới này.",
                      "No setting of '{along}' reaches the target on this grid."),
    "tradeoff_free": ("Mục tiêu đạt được với “{solve}” ở mức thấp nhất, với mọi mức “{along}” đạt được: không cần "
                      "đánh đổi.",
                      "The target is reached with '{solve}' at its lowest setting for every reaching setting of "
                      "'{along}': no trade-off is needed."),
    "tradeoff_rate": ("Đánh đổi: mỗi điểm phần trăm “{along}” thay thế khoảng {rate:.2f} điểm phần trăm “{solve}” "
                      "(trung vị dọc đường cong).",
                      "Trade-off: each share point of '{along}' replaces about {rate:.2f} share points of '{solve}' "
                      "(median along the curve)."),
    "fig_probability": ("Xác suất đạt mục tiêu", "Probability of reaching the target"),
    "fig_least": ("Mức tối thiểu đạt P ≥ {prob:g}", "Least setting with P ≥ {prob:g}"),
    "fig_least_effort": ("Nỗ lực ít nhất", "Least effort"),
    "nb_settings": ("Thiết lập các đòn bẩy", "Lever settings"),
    "nb_tradeoff": ("Đánh đổi giữa hai đòn bẩy", "Trade-off between two levers"),
    "nb_tradeoff_note": ("Với mỗi mức “{along}”, mức “{solve}” thấp nhất đạt mục tiêu với xác suất ≥ {prob:g}; các "
                         "đòn bẩy khác giữ ở mức của lời giải (hoặc tối đa nếu ngoài tầm với).",
                         "For each setting of '{along}', the lowest setting of '{solve}' that reaches the target with "
                         "probability ≥ {prob:g}; the other levers stay at the solution's settings (or their maximum "
                         "when the target is out of reach)."),
}

# calibration: words of simlib/calibration.py
CALIBRATION: dict[str, tuple[str, str]] = {
    "variant_published": ("Công bố", "Published"),
    "variant_no_levers": ("Mô hình từ 2022, không đòn bẩy", "Model from 2022, no levers"),
    "variant_all_new": ("Mô hình từ 2022, đòn bẩy thực tế (toàn bộ mới trong 2023–24)",
                        "Model from 2022, actual levers (all new in 2023–24)"),
    "variant_half_new": ("Mô hình từ 2022, đòn bẩy thực tế (một nửa mới trong 2023–24)",
                         "Model from 2022, actual levers (half new in 2023–24)"),  # key: (vi, en)
    "nb_title": ("Hiệu chỉnh và kiểm định mô hình trên các năm đã công bố", "Calibration: the model on the years published"),
    "nb_backtest": ("Dự báo lại các năm đã công bố", "Backtests: projecting the published years"),
    "nb_backtest_note": ("Mỗi năm Y được dự báo chỉ từ dữ liệu đến năm Y − 1 và so với các điểm đã công bố. Dự báo đơn "
                         "giản: điểm năm trước của mỗi tỉnh cộng xu hướng chung của cả nước.",
                         "Each year Y is projected from data up to Y − 1 only and compared with the published scores. "
                         "Naive forecast: each province's previous score plus the national trend."),
    "nb_reconstruction": ("Phần đã công bố và phần ước tính lại của mỗi năm",
                          "What is published and what is reconstructed, per year"),
    "nb_reconstruction_note": ("Bảng đầy đủ 63 tỉnh chỉ được công bố dạng ảnh: phần còn lại được ước tính lại từ thứ hạng, "
                               "điểm trung bình, cao nhất, thấp nhất và số tỉnh nhóm A; độ bất định của phần này đi vào "
                               "mọi lần mô phỏng.",
                               "Full 63-province tables are published only as images: the rest is reconstructed from "
                               "ranks, the average, maximum, minimum and group counts; its uncertainty goes into every "
                               "draw."),
    "nb_hanoi": ("Hà Nội 2022 → 2024: công bố và dự báo từ năm 2022", "Hà Nội 2022 → 2024: published and projected from 2022"),
    "nb_hanoi_note": ("Kịch bản gốc năm 2022 với các đòn bẩy Hà Nội đã thực hiện: miễn phí nộp trực tuyến từ 7/2023 "
                      "(0,5 của năm 2023; 1,0 năm 2024), 211 TTHC được đơn giản hóa (29,8%) và 578 TTHC được ủy quyền "
                      "(30,5%) đến năm 2024. Số liệu đòn bẩy chỉ có từ 2024, nên mức năm 2022 là giả định, với hai cận: "
                      "toàn bộ là mới trong 2023–24 (cận trên của tác động) hoặc một nửa đã có từ 2022. Tỷ lệ nộp trực "
                      "tuyến đầu 2023 giả định 30%.",
                      "Baseline-2022 scenario with the levers Hà Nội actually moved: zero online fee from July 2023 "
                      "(0.5 of 2023, 1.0 in 2024), 211 procedures simplified (29.8%) and 578 delegated (30.5%) by 2024. "
                      "The lever data start in 2024, so the 2022 values are assumptions, bracketed: all of it new in "
                      "2023–24 (the upper bound of the effect) or half of it already in place in 2022. The online "
                      "share going into 2023 is taken as 30%."),
    "nb_starts": ("Giả định về mức đòn bẩy 2022 và lộ trình 2023–24", "Assumed 2022 lever values and 2023–24 paths"),
    "nb_effect": ("Tác động của các đòn bẩy 2023–24 theo mô hình (năm 2024)", "The model's effect of the 2023–24 levers (2024)"),
    "verdict": ("Mô hình tốt hơn dự báo đơn giản ở {wins}/{done} năm kiểm tra; khoảng 90% của mô hình chứa trung "
                "bình {cover:.0f}% điểm công bố (mục tiêu 90%).",
                "The model beats the naive forecast in {wins} of {done} backtested years; its 90% band holds "
                "{cover:.0f}% of the published scores on average (target 90%)."),
    "par_score": ("Điểm PAR Index", "PAR Index score"),
    "sipas_pct": ("SIPAS (%)", "SIPAS (%)"),
    "path_title": ("Hà Nội: công bố 2022–2024 và dự báo từ 2022 (trung vị, khoảng 5–95%)",
                   "Hà Nội: published 2022–2024 and projected from 2022 (median, 5–95% band)"),
    "model": ("Mô hình", "Model"),
    "naive": ("Dự báo đơn giản", "Naive forecast"),
    "mae_axis": ("Sai số tuyệt đối trung bình (điểm)", "Mean absolute error (points)"),
    "nb_effect_note": ("So với mức tăng vượt trung bình cả nước đã công bố của Hà Nội trong 2022–24.",
                       "Compared with Hà Nội's published gain over the national average in 2022–24."),
}

# widgets: words of simlib/widgets.py
PANEL: dict[str, tuple[str, str]] = {
    "title": ("Thử các đòn bẩy cải cách hành chính", "Reform lever explorer"),
    "intro": ("Mỗi thanh trượt là giá trị (%) mà đòn bẩy đạt tới vào năm mục tiêu, tăng đều từ mức "
              "hiện tại. Kết quả từ {draws} lần mô phỏng Monte-Carlo (số khởi tạo ngẫu nhiên {seed}); dải màu là "
              "khoảng 5–95%.",
              "Each slider is the value (%) a lever reaches by the target year, ramped evenly from "
              "today's value. Results from {draws} Monte-Carlo draws (seed {seed}); shaded bands are "
              "the 5–95% range."),
    "today": ("hiện tại {value}% ({year})", "today {value}% ({year})"),
    "results_for": ("Kết quả năm {year} — {unit}", "Results for {year} — {unit}"),
    "band": ("khoảng 5–95%", "5–95% band"),
    "waiver_cost": ("Phí, lệ phí miễn giảm khi nộp trực tuyến", "Online fees waived"),
    "bn_per_year": ("tỷ đồng/năm", "bn VND/yr"),
    "compare_title": ("So với giữ nguyên chính sách hiện hành (cùng bộ số ngẫu nhiên)",
                      "Compared with today's policies continued (common random numbers)"),
    "sipas_projection": ("SIPAS dự báo (%)", "Projected SIPAS (%)"),
    "par_projection": ("Điểm PAR Index dự báo (/100)", "Projected PAR Index score (of 100)"),
    "rank_in_year": ("{metric} năm {year}", "{metric} in {year}"),
    "sipas_target": ("Mục tiêu SIPAS 86%", "SIPAS target 86%"),
    "scenario_file": ("Tệp kịch bản", "Scenario file"),
    "saved": ("Đã lưu kịch bản vào {path}", "Scenario saved to {path}"),
    "exists": ("{path} đã có: bấm “Lưu kịch bản” lần nữa để ghi đè.",
               "{path} already exists: press “Save scenario” again to replace it."),
    "not_yaml": ("Tên tệp phải kết thúc bằng .yaml hoặc .yml: {path}",
                 "The file name must end in .yaml or .yml: {path}"),
    "save_failed": ("Không lưu được {path}: {error}", "Could not save {path}: {error}"),
    "loaded": ("Đã mở kịch bản “{name}” từ {path}", "Loaded scenario “{name}” from {path}"),
    "load_failed": ("Không mở được kịch bản, thiết lập giữ nguyên:",
                    "Could not load the scenario; the settings are unchanged:"),
    "ignored": ("Một số giá trị không dùng được và đã bị bỏ qua:",
                "Some values could not be used and were ignored:"),
    "compute_failed": ("Không tính được kết quả:", "Could not compute the results:"),
    "got": ("nhận", "got"),
    "allowed": ("cho phép", "allowed"),
    "share_link": ("Liên kết tới đúng thiết lập này (cùng số liệu khi mở lại)",
                   "Link to exactly these settings (the same numbers when reopened)"),
    "share_query_only": ("thêm vào sau địa chỉ của trang ứng dụng", "append it to the app page's address"),
    "copy_link": ("Sao chép liên kết", "Copy link"),
    "copied": ("Đã sao chép liên kết", "Link copied"),
    "copy_failed": ("Không sao chép được: hãy chọn liên kết và sao chép", "Could not copy: select the link and copy it"),
    "points": ("điểm %", "pp"),
    "computing": ("Đang tính…", "Computing…"),
    "disconnected": ("Mất kết nối với máy chủ: số liệu trên trang không còn được cập nhật. Hãy tải lại trang.",
                     "Disconnected from the server: the numbers on this page no longer update. Reload the page."),
    "reload": ("Tải lại trang", "Reload"),
    "busy_title": ("Máy chủ đang bận", "Server busy"),
    "busy_text": ("Đã có {limit} phiên làm việc đang mở, mức tối đa của máy chủ này. Trang sẽ tự thử lại sau "
                  "{seconds} giây; cũng có thể đóng bớt các trang không còn dùng.",
                  "{limit} sessions are already open, the most this server allows. This page tries again in "
                  "{seconds} s; closing pages no longer in use also helps."),
    "download_scenario": ("Tải kịch bản về máy (YAML)", "Download scenario (YAML)"),
    "upload_scenario": ("Mở tệp kịch bản…", "Open scenario file…"),
    "uploaded": ("Đã mở kịch bản “{name}” từ tệp {file}", "Loaded scenario “{name}” from the file {file}"),
    "upload_too_big": ("tệp lớn hơn {limit} KB", "the file is larger than {limit} KB"),
    "file_name": ("tên tệp", "file name"),
    "value_box": ("Gõ giá trị (%), ví dụ 45,5", "Type a value (%), e.g. 45.5"),
    "bad_value": ("{lever}: không dùng được “{text}”; cho phép: một số phần trăm từ {lo} đến {hi} "
                  "(dấu thập phân là dấu phẩy hoặc dấu chấm, ví dụ 45,5). Giữ nguyên {value}%.",
                  "{lever}: “{text}” cannot be used; allowed: a percentage from {lo} to {hi} "
                  "(decimal comma or point, e.g. 45.5). Kept at {value}%."),
    "source": ("Nguồn", "Source"),
    "others_partial": ("{share}% các địa phương khác làm theo, từ năm {year}",
                       "{share}% of the other units copy it, from {year}"),
    "not_a_file_name": ("chỉ một tên tệp .yaml trong thư mục {folder} (không có đường dẫn, không có “..”)",
                        "a .yaml file name only, inside the folder {folder} (no path, no “..”)"),
    "status_stated": ("số liệu công bố", "published figure"),
    "status_derived": ("tính từ số liệu công bố", "derived from published figures"),
    "status_assumption": ("giả định", "assumption"),
}

# What a value may be (Issue.allowed), in Vietnamese: (pattern of the English text, Vietnamese
# template with the pattern's groups). The panel shows the English text in its English UI.
ALLOWED_VI: tuple[tuple[str, str], ...] = (
    (r"a share from (?P<lo>[\d.]+) to (?P<hi>[\d.]+) \(e\.g\. 0\.6\) or a percentage \(e\.g\. 60%\)",
     "một tỷ lệ từ {lo} đến {hi} (ví dụ 0,6) hoặc phần trăm (ví dụ 60%)"),
    (r"a share from (?P<lo>[\d.]+) to (?P<hi>[\d.]+)(?P<rest>.*)", "một tỷ lệ từ {lo} đến {hi}{rest}"),
    (r"a whole number from (?P<lo>[\d,]+) to (?P<hi>[\d,]+) \(the most draws a link may ask for\)",
     "một số nguyên từ {lo} đến {hi} (số lần mô phỏng nhiều nhất một liên kết được yêu cầu)"),
    (r"a whole number from (?P<lo>[\d,]+) to (?P<hi>[\d,]+)(?P<rest>.*)", "một số nguyên từ {lo} đến {hi}{rest}"),
    (r"a whole number", "một số nguyên"),
    (r"a year from (?P<lo>\d+) to (?P<hi>\d+)", "một năm từ {lo} đến {hi}"),
    (r"a lever: one of (?P<items>.*)", "một đòn bẩy, một trong: {items}"),
    (r"one of (?P<items>.*)", "một trong: {items}"),
    (r"1 or 0 \(also true/false, yes/no\)", "1 hoặc 0 (hoặc true/false, yes/no)"),
    (r"a 2025 unit slug, one of (?P<items>.*)", "mã một đơn vị năm 2025, một trong: {items}"),
    (r"a unit of the 2025 field: (?P<old>.*) merged into (?P<new>.*) on 1/7/2025",
     "một đơn vị của năm 2025: {old} đã hợp nhất vào {new} từ 1/7/2025"),
    (r"a non-empty text of at most (?P<n>\d+) characters", "một đoạn chữ không rỗng, tối đa {n} ký tự"),
    (r"an existing scenario YAML file", "một tệp kịch bản YAML có thật"),
    (r"a UTF-8 YAML file", "một tệp YAML mã UTF-8"),
    (r"valid YAML \(a mapping of scenario fields\)", "YAML hợp lệ (các trường của kịch bản)"),
    (r"a \.yaml or \.yml file", "một tệp .yaml hoặc .yml"),
    (r"a target share reached by the year \(e\.g\. 0\.6\), share@year \(0\.6@2026\) or year:share "
     r"points joined by _ \(2026:0\.4_2028:0\.6\)",
     "một tỷ lệ đạt tới vào năm mục tiêu (ví dụ 0,6), tỷ lệ@năm (0,6@2026) hoặc các điểm năm:tỷ lệ nối bằng _ "
     "(2026:0,4_2028:0,6)"),
)


SECTIONS = {"sensitivity": SENSITIVITY, "target": TARGET, "calibration": CALIBRATION, "panel": PANEL}


def phrase(section: str, key: str, lang: str = "vi", **fields) -> str:
    """A sentence of one part of the tool (``SECTIONS``) in ``lang``, ``{fields}`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    vi, en = SECTIONS[section][key]
    words = vi if lang == "vi" else en
    return words.format(**fields) if fields else words


def say(key: str, lang: str = "vi", **fields) -> str:
    """The one way to put words on a page: the words of ``key`` in ``lang`` ('vi' or 'en'), ``{fields}``
    filled in. ``key`` is a label (``LABELS`` or a declared outcome) or ``"section.key"`` for a
    sentence of one part of the tool (``SECTIONS``: ``say("target.nb_title", "en")``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    section, dot, name = key.partition(".")
    if dot and section in SECTIONS:
        vi, en = SECTIONS[section][name]
        words = vi if lang == "vi" else en
    else:
        words = t(key, lang)
    return words.format(**fields)


def known(key: str) -> bool:
    """Whether ``t`` has a label for ``key`` (a label of ``LABELS`` or a declared outcome)."""
    return key in LABELS or key in outcomes.names()


def t(key: str, lang: str = "vi") -> str:
    """The label of ``key`` in ``lang`` ('vi' or 'en')."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    if key in outcomes.names():  # declared outcomes, read live: a new one is one declaration
        return outcomes.get(key).label(lang)
    vi, en = LABELS[key]
    return vi if lang == "vi" else en


# Words of the rendered reports (headings, notes, table headers, plain-language summaries).
# Keys starting with "h_" are headings, "n_" explanatory notes, "s_" summary sentences;
# {fields} are filled by simlib.report and must be the same in both languages.
LABELS.update({
    # headings
    "h_history_title": ("Lịch sử Chỉ số CCHC (PAR Index) và Chỉ số SIPAS: {unit}",
                        "PAR Index and SIPAS history: {unit}"),
    "h_history_scores": ("Điểm và thứ hạng qua các năm", "Scores and ranks over the years"),
    "h_history_table": ("Số liệu đã công bố", "Published figures"),
    "h_field_year": ("Toàn bộ các địa phương năm {year}: {index}", "The whole field in {year}: {index}"),
    "h_merger": ("Sắp xếp đơn vị hành chính năm 2025: 63 tỉnh, thành phố thành 34 đơn vị",
                 "The 2025 merger: 63 provinces into 34 units"),
    "h_report_title": ("Báo cáo kịch bản «{name}»: {unit}", "Scenario report “{name}”: {unit}"),
    "h_assumed": ("Các giả định của kịch bản", "What the scenario assumes"),
    "h_headline": ("Kết quả chính năm {year}", "Headline results for {year}"),
    "h_projections": ("Dự báo qua các năm", "Projections over the years"),
    "h_ranks": ("Phân bố thứ hạng năm {year}", "Rank distribution in {year}"),
    "h_cost": ("Chi phí", "Cost"),
    "h_comparison": ("So sánh với việc giữ nguyên chính sách hiện hành",
                     "Comparison with today's policies continued"),
    "h_assumption_table": ("Tham số, giả định và nguồn", "Parameters, assumptions and sources"),
    "h_levers": ("Các đòn bẩy chính sách", "The policy levers"),
    "h_lever_effects": ("Mỗi đòn bẩy tác động qua đâu", "How each lever acts"),
    "n_lever_effects": ("Mỗi dòng: một đòn bẩy tác động lên một yếu tố trung gian (tỷ lệ nộp hồ sơ trực tuyến, "
                        "thời gian giải quyết, chi phí tuân thủ) hoặc trực tiếp lên một lĩnh vực của Chỉ số CCHC "
                        "(PAR), với độ lớn là một tham số trong bảng tham số. Bảng lấy từ tệp "
                        "data/lever_effects.csv; thêm một đòn bẩy chỉ cần thêm dữ liệu.",
                        "Each row: a lever acting on a driver (online submission share, processing time, "
                        "compliance cost) or directly on a field of the PAR Index, its size a parameter of "
                        "the parameter table. The table is data/lever_effects.csv; adding a lever needs "
                        "data only."),
    "h_data_notes": ("Ghi chú về số liệu", "Notes on the data"),
    "h_batch_title": ("So sánh các kịch bản", "Scenario comparison"),
    "h_outcomes": ("Kết quả theo kịch bản", "Outcomes per scenario"),
    "h_targets": ("Xác suất đạt mục tiêu", "Probability of reaching the targets"),
    "h_targets_over_time": ("Xác suất đạt mục tiêu qua các năm", "Probability of the targets over the years"),
    "h_cost_effect": ("Chi phí và tác động", "Cost and effect"),
    "h_grid": ("Kết hợp hai đòn bẩy", "Two levers combined"),
    "h_assumptions_title": ("Các giả định của mô hình", "The model's assumptions"),
    "h_parameters": ("Tham số mô hình", "Model parameters"),
    "h_reconstruction": ("Tái dựng bảng xếp hạng từng năm", "Reconstruction of each year's field"),
    "h_clashes": ("Số liệu không khớp giữa các nguồn và quy tắc áp dụng",
                  "Clashes between sources and the rule applied"),
    "h_field_fit": ("Diễn biến của các địa phương khác", "How the rest of the field moves"),
    "h_why": ("Vì sao thứ hạng thay đổi, {start} → {end}", "Why the rank moves, {start} → {end}"),
    "h_league": ("Bảng xếp hạng năm {year}", "League table, {year}"),
    "h_effect_sizes": ("Quy mô tác động của từng đòn bẩy", "Effect size of each lever"),
    # explanatory notes
    "n_history": ("Điểm và thứ hạng do Bộ Nội vụ công bố hằng năm, so với trung bình cả nước và điểm "
                  "cao nhất. Năm không có điểm là năm chưa có số liệu công bố được đối chiếu nguồn. "
                  "Trước 2025 xếp hạng 63 tỉnh, thành phố; từ 2025 là 34 đơn vị.",
                  "Scores and ranks published each year by the Ministry of Home Affairs, against the "
                  "national average and the top score. A year without a point has no published figure "
                  "with a checked source. Before 2025 the 63 provinces were ranked; from 2025 the 34 units."),
    "n_field": ("Chấm đặc: điểm đã công bố. Chấm rỗng có râu: điểm ước tính lại (trung vị và khoảng "
                "5–95%), vì bảng đầy đủ chỉ được công bố dưới dạng ảnh; thứ hạng của các điểm này cũng là "
                "ước tính.",
                "Filled markers: published scores. Hollow markers with whiskers: reconstructed scores "
                "(median and 5–95% band), since full tables are published only as images; their ranks "
                "are estimates too."),
    "n_merger": ("Từ 1/7/2025 (Nghị quyết 202/2025/QH15), 63 tỉnh, thành phố được sắp xếp thành 34 đơn "
                 "vị. Điểm xuất phát của một đơn vị hợp nhất là trung bình (trọng số bằng nhau) của các "
                 "tỉnh cấu thành; Hà Nội không sáp nhập nên giữ nguyên lịch sử của mình.",
                 "From 1/7/2025 (Resolution 202/2025/QH15) the 63 provinces form 34 units. A merged "
                 "unit starts from the equal-weight mean of its constituent provinces; Hà Nội was not "
                 "merged and keeps its own history."),
    "n_projections": ("Đường liền là trung vị của các lần mô phỏng, vùng tô là khoảng 5–95%; chấm đen là "
                      "điểm đã công bố.",
                      "Lines are the median of the simulation draws, shaded areas the 5–95% band; black "
                      "dots are published scores."),
    "n_ranks": ("Mỗi cột là tỷ lệ số lần mô phỏng đạt thứ hạng đó; vạch đậm là trung vị, vùng tô là "
                "khoảng 5–95%. Trước 2025 xếp hạng 63 tỉnh, thành phố; từ 2025 là 34 đơn vị.",
                "Each bar is the share of simulation draws at that rank; the thick line is the median, "
                "the shaded area the 5–95% band. Before 2025 the 63 provinces were ranked; from 2025 the "
                "34 units."),
    "n_targets_over_time": ("Đường là tỷ lệ số lần mô phỏng đạt mục tiêu; vùng tô là khoảng tin cậy 90% của "
                            "ước lượng này.",
                            "Lines are the share of simulation draws that meet the target; shaded areas the "
                            "90% interval of that estimate."),
    "n_cost": ("Chi phí ở đây là số thu phí, lệ phí không thu được do miễn phí khi nộp hồ sơ trực tuyến "
               "(tỷ đồng/năm). Số này tăng theo tỷ lệ hồ sơ trực tuyến: ước tính khoảng 37 tỷ đồng/năm của "
               "Thành phố (2023) ứng với khoảng 30% hồ sơ nộp trực tuyến; với khoảng 60% hiện nay, cùng mức "
               "phí bị miễn gần gấp đôi. Chi phí triển khai các đòn bẩy khác chưa được tính.",
               "Cost here is the fee revenue forgone by waiving fees for online submission (bn VND per "
               "year). It grows with the online share: the city's estimate of about 37 bn VND/yr (2023) "
               "was made with about 30% of dossiers online; at today's ~60% the same fees forgo nearly "
               "twice as much. The cost of putting the other levers in place is not counted."),
    "n_comparison": ("Kịch bản đối chứng giữ mọi đòn bẩy ở mức hiện tại, với cùng giả định về các địa "
                     "phương khác và cùng các lần mô phỏng (số ngẫu nhiên chung), nên chênh lệch là do "
                     "các đòn bẩy chứ không do nhiễu ngẫu nhiên. Cột «chênh lệch giữa hai giá trị hiển thị» "
                     "là phép trừ hai con số trong bảng; cột bên cạnh là trung vị và khoảng 5–95% của chênh "
                     "lệch tính trên từng cặp mô phỏng, nên có thể khác đôi chút: trung vị của các chênh lệch "
                     "không nhất thiết bằng chênh lệch của hai trung vị. Phí, lệ phí miễn giảm được tính theo "
                     "giá trị trung bình.",
                     "The comparison holds every lever at its current value, with the same assumption "
                     "about the other units and the same simulation draws (common random numbers), so "
                     "the difference is the levers', not noise's. “Difference of the values shown” subtracts "
                     "the two numbers of the table; beside it, the median and 5–95% band of the difference "
                     "draw by draw, which can differ slightly: a median of differences need not equal the "
                     "difference of two medians. Fees forgone are given as means."),
    "n_data": ("Năm {year}, {published} trong {total} điểm {index} đã được công bố; {reconstructed} điểm "
               "còn lại được ước tính lại từ thứ hạng, điểm trung bình, cao nhất, thấp nhất đã công bố và "
               "độ bất định của chúng được đưa vào các dự báo.",
               "In {year}, {published} of the {total} {index} scores were published; the other "
               "{reconstructed} were reconstructed from the published ranks, average, maximum and "
               "minimum, and their uncertainty is carried into the projections."),
    "n_grid": ("Mỗi ô là kết quả năm {year} khi hai đòn bẩy đạt các mức trên hai trục vào năm đó, các "
               "đòn bẩy khác giữ nguyên; mọi ô dùng cùng các lần mô phỏng.",
               "Each cell is the {year} outcome when the two levers reach the levels on the axes by that "
               "year, the other levers held; every cell uses the same simulation draws."),
    "n_grid_any_year": ("Mỗi ô là kết quả khi hai đòn bẩy đạt các mức trên hai trục vào năm mục tiêu, các "
                        "đòn bẩy khác giữ nguyên; mọi ô dùng cùng các lần mô phỏng.",
                        "Each cell is the outcome when the two levers reach the levels on the axes by the "
                        "target year, the other levers held; every cell uses the same simulation draws."),
    "n_batch_examples": ("Các kịch bản mẫu của dự án, chạy với {draws} lần mô phỏng và cùng số ngẫu nhiên.",
                         "The project's example scenarios, run with {draws} draws and common random numbers."),
    "n_batch_dir": ("Kết quả đọc từ lô kịch bản «{name}» ({ok} kịch bản thành công, {failed} lỗi).",
                    "Results read from the batch “{name}” ({ok} scenarios completed, {failed} failed)."),
    "n_effect_sizes": ("Mỗi đòn bẩy thay đổi 10 điểm phần trăm từ năm {first} (các đòn bẩy khác giữ "
                       "nguyên); tác động đo năm {year}, khi gần như đã phát huy đầy đủ: trung vị và "
                       "khoảng 5–95% của chênh lệch so với giữ nguyên. Đòn bẩy đã ở mức tối đa được tính "
                       "theo chiều giảm 10 điểm.",
                       "Each lever moved by 10 percentage points from {first} (the others held); the "
                       "effect is measured in {year}, when it has almost fully shown: median and 5–95% "
                       "band of the difference from holding it. A lever already at its maximum is moved "
                       "down by 10 points."),
    "n_parameters": ("Mỗi hệ số có giá trị hoặc phân phối tiên nghiệm, đơn vị, và nguồn hoặc lý do giả "
                     "định. Diễn giải và nguồn giữ nguyên ngôn ngữ của tài liệu gốc.",
                     "Every coefficient has a value or prior distribution, a unit, and a source or the "
                     "reason for the assumption."),
    "n_field_assumption_none": ("Các địa phương khác theo xu hướng chung cả nước, không giả định thêm chính "
                                "sách miễn phí trực tuyến.",
                                "The other units follow the national trend; no extra online fee waiver "
                                "is assumed for them."),
    "n_field_assumption": ("{share}% các địa phương khác áp dụng miễn phí khi nộp trực tuyến từ năm {year}.",
                           "{share}% of the other units adopt a zero online fee from {year}."),
    "n_run": ("{draws} lần mô phỏng, số khởi tạo ngẫu nhiên {seed}; số liệu công bố đến năm {baseline_year}, "
              "dự báo đến năm {horizon}.",
              "{draws} simulation draws, random seed {seed}; published data up to {baseline_year}, "
              "projected to {horizon}."),
    "n_date": ("Ngày lập báo cáo: {date}", "Report date: {date}"),
    "n_no_grid": ("Chưa có lưới hai đòn bẩy.", "No two-lever grid."),
    # plain-language summary sentences
    "s_par": ("Với các đòn bẩy này, đến năm {year} {unit} có xác suất {p_top3} nằm trong top 3 Chỉ số "
              "CCHC (PAR Index) và {p_top10} trong top 10; thứ hạng PAR trung vị là {rank} trên {n} đơn vị "
              "(khoảng 5–95%: {rank_band}), điểm PAR trung vị {par} (khoảng 5–95%: {par_band}).",
              "With these levers, by {year} {unit} has a {p_top3} probability of ranking in the PAR Index "
              "top 3 and {p_top10} in the top 10; its median PAR rank is {rank} of {n} units "
              "(5–95%: {rank_band}), its median PAR score {par} (5–95%: {par_band})."),
    "s_sipas": ("SIPAS trung vị đạt {sipas}% (khoảng 5–95%: {sipas_band}%); xác suất đạt mục tiêu SIPAS "
                "≥ 86% là {p_sipas}.",
                "Median SIPAS reaches {sipas}% (5–95%: {sipas_band}%); the probability of meeting the "
                "SIPAS ≥ 86% target is {p_sipas}."),
    "s_futures": ("Nói cách khác: top 3 PAR xảy ra {top3}; SIPAS ≥ 86% xảy ra {sipas}.",
                  "Put plainly: a PAR top-3 rank happens {top3}; SIPAS ≥ 86% happens {sipas}."),
    "s_cost": ("Miễn phí nộp trực tuyến làm giảm thu trung bình khoảng {cost} tỷ đồng trong năm {year}.",
               "Waiving online fees forgoes on average about {cost} bn VND of revenue in {year}."),
    "s_compare": ("So với giữ nguyên chính sách hiện hành, điểm PAR chênh {par_diff} điểm (khoảng 5–95%: "
                  "{par_band}), SIPAS chênh {sipas_diff} điểm phần trăm (khoảng 5–95%: {sipas_band}); xác "
                  "suất top 3 PAR từ {p_base} thành {p_top3}.",
                  "Compared with today's policies continued, the PAR score changes by {par_diff} points "
                  "(5–95%: {par_band}) and SIPAS by {sipas_diff} percentage points (5–95%: {sipas_band}); the "
                  "probability of a top-3 PAR rank goes from {p_base} to {p_top3}."),
    # table headers and figure words
    "indicator": ("Chỉ tiêu", "Indicator"),
    "difference_shown": ("Chênh lệch giữa hai giá trị hiển thị", "Difference of the values shown"),
    "paired_difference": ("Chênh lệch theo từng lần mô phỏng: trung vị (khoảng 5–95%)",
                          "Paired difference, draw by draw: median (5–95% band)"),
    "median_band": ("Trung vị (khoảng 5–95%)", "Median (5–95% band)"),
    "mean_band": ("Trung bình (khoảng 5–95%)", "Mean (5–95% band)"),
    "rank_of": ("Xếp hạng {index} (trong {n} đơn vị)", "{index} rank (of {n} units)"),
    "par_name": ("PAR Index", "PAR Index"),
    "sipas_name": ("SIPAS", "SIPAS"),
    "index": ("Chỉ số", "Index"),
    "name": ("Tên", "Name"),
    "group": ("Nhóm", "Group"),
    "meaning": ("Ý nghĩa", "Meaning"),
    "prior": ("Giá trị / phân phối", "Value / prior"),
    "basis": ("Cơ sở", "Basis"),
    "basis_source": ("có nguồn", "sourced"),
    "basis_assumption": ("giả định", "assumption"),
    "basis_estimated": ("ước lượng từ số liệu", "estimated from data"),
    "acts_on": ("Tác động lên", "Acts on"),
    "parameter": ("Tham số", "Parameter"),
    "form": ("Dạng tác động", "Form"),
    "form_saturating": ("bão hòa dần", "saturating"),
    "form_linear": ("tuyến tính", "linear"),
    "target_online_share": ("Tỷ lệ hồ sơ nộp trực tuyến", "Share of dossiers submitted online"),
    "target_time_cut": ("Mức rút ngắn thời gian giải quyết", "Cut in processing time"),
    "target_cost_cut": ("Mức giảm chi phí tuân thủ của người dân", "Cut in citizens' compliance cost"),
    "target_par_procedures": ("PAR: lĩnh vực cải cách TTHC", "PAR: administrative procedures field"),
    "target_par_apparatus": ("PAR: lĩnh vực tổ chức bộ máy", "PAR: organisation of the apparatus field"),
    "target_par_digital": ("PAR: lĩnh vực chính quyền số", "PAR: digital government field"),
    "target_par_impact": ("PAR: tác động đến phát triển KT-XH", "PAR: impact on socio-economic development"),
    "status_stated": ("công bố", "published"),
    "status_derived": ("tính từ số liệu công bố", "derived from published figures"),
    "status_assumption": ("giả định", "assumption"),
    "range_pct": ("Khoảng cho phép (%)", "Allowed range (%)"),
    "current_pct": ("Hiện tại (%)", "Current (%)"),
    "current_as_of": ("Số liệu năm", "Figure of"),
    "target_pct": ("Mục tiêu (%)", "Target (%)"),
    "by_year": ("Đạt vào năm", "By year"),
    "path_pct": ("{year} (%)", "{year} (%)"),
    "note": ("Ghi chú", "Note"),
    "clash_rule": ("Số liệu không khớp và quy tắc áp dụng", "Clash and the rule applied"),
    "reconstruction_note": ("Cách tái dựng", "What the reconstruction did"),
    "unit_2025": ("Đơn vị từ 1/7/2025", "Unit from 1/7/2025"),
    "member_count": ("Số tỉnh, thành phố cũ", "Former provinces"),
    "members": ("Gồm", "Formed from"),
    "trend": ("Xu hướng chung", "National trend"),
    "trend_points": ("Trung bình cả nước tăng (điểm/năm, ở mức hiện tại)",
                     "National average gain (points per year, at today's level)"),
    "persistence": ("Mức duy trì khoảng cách với trung bình", "Persistence of the gap to the average"),
    "noise_sd": ("Nhiễu hằng năm (độ lệch chuẩn, log(100 − điểm))", "Yearly noise (sd, log(100 − score))"),
    "estimated_from": ("Ước lượng từ", "Estimated from"),
    "top_score": ("Điểm cao nhất", "Top score"),
    "focal_score": ("{unit}: điểm công bố", "{unit}: published score"),
    "focal_rank": ("{unit}: thứ hạng công bố", "{unit}: published rank"),
    "field_size_note": ("trong {n} đơn vị", "of {n} units"),
    "score_pct": ("Điểm (%)", "Score (%)"),
    "share_of_draws_pct": ("Tỷ lệ số lần mô phỏng (%)", "Share of simulation draws (%)"),
    "probability_pct": ("Xác suất (%)", "Probability (%)"),
    "target_86": ("Mục tiêu SIPAS 86%", "SIPAS target 86%"),
    "diff_sipas": ("Chênh lệch SIPAS (điểm %)", "SIPAS difference (percentage points)"),
    "diff_par": ("Chênh lệch điểm PAR (điểm)", "PAR score difference (points)"),
    "diff_par_rank": ("Chênh lệch thứ hạng PAR (âm = tốt hơn)", "PAR rank difference (negative = better)"),
    "diff_sipas_rank": ("Chênh lệch thứ hạng SIPAS (âm = tốt hơn)", "SIPAS rank difference (negative = better)"),
    "median_of": ("Trung vị {value}", "Median {value}"),
    "band_of": ("5–95%: {value}", "5–95%: {value}"),
    "year_n_units": ("Năm {year} · {n} đơn vị được xếp hạng", "{year} · {n} units ranked"),
    "change_pp": ("Thay đổi (điểm %)", "Change (percentage points)"),
    "effect_sipas": ("SIPAS (điểm %)", "SIPAS (percentage points)"),
    "effect_par": ("Điểm PAR (điểm)", "PAR score (points)"),
    "effect_fee": ("Phí miễn giảm (tỷ đồng/năm)", "Fees forgone (bn VND per year)"),
    "years_to_90": ("Số năm để đạt 90% tác động", "Years until 90% of the effect shows"),
    "effect_per_10": ("Tác động của 10 điểm % mỗi đòn bẩy (trung vị, khoảng 5–95%)",
                      "Effect of 10 percentage points of each lever (median, 5–95% band)"),
    "lever_pct": ("{lever} (%)", "{lever} (%)"),
    "status": ("Trạng thái", "Status"),
    "no_results": ("Không có kịch bản nào hoàn thành", "No scenario completed"),
    "failed": ("lỗi", "failed"),
})


# evaluation: words of the evaluation harness (simlib/analysis/harness.py, simlib/reports/evaluation.py)
EVALUATION: dict[str, tuple[str, str]] = {
    "index_PAR": ("PAR Index", "PAR Index"),
    "index_SIPAS": ("SIPAS", "SIPAS"),
    "horizon": ("{index}, dự báo trước {horizon} năm", "{index}, {horizon} year(s) ahead"),
    "beats": ("mô hình tốt hơn cách lấy kết quả năm trước cộng xu hướng chung (CRPS {model} so với {naive} điểm)",
              "the model beats carrying last year forward plus the national trend (CRPS {model} vs {naive} points)"),
    "loses": ("mô hình KHÔNG tốt hơn cách lấy kết quả năm trước cộng xu hướng chung (CRPS {model} so với {naive} điểm)",
              "the model does NOT beat carrying last year forward plus the national trend (CRPS {model} vs {naive} points)"),
    "band_ok": ("khoảng 90% chứa {cover} điểm số đã công bố ({n} trường hợp; mục tiêu 85–95%)",
                "its 90% band held {cover} of published scores ({n} cases; target 85–95%)"),
    "band_narrow": ("khoảng 90% chỉ chứa {cover} điểm số đã công bố ({n} trường hợp): hẹp hơn mức cần có (85–95%)",
                    "its 90% band held only {cover} of published scores ({n} cases): narrower than it should be (85–95%)"),
    "band_wide": ("khoảng 90% chứa {cover} điểm số đã công bố ({n} trường hợp): rộng hơn mức cần có (85–95%)",
                  "its 90% band held {cover} of published scores ({n} cases): wider than it needs to be (85–95%)"),
    "ranks": ("thứ hạng: khoảng 90% chứa {cover} thứ hạng đã công bố; CRPS thứ hạng {model} bậc, so với {persist} bậc "
              "nếu giữ nguyên thứ hạng năm trước (sai số của thứ hạng trung vị: {median} bậc)",
              "ranks: the 90% band held {cover} of published ranks; rank CRPS {model} places against {persist} for "
              "keeping last year's rank (error of the median rank: {median} places)"),
    "few": ("quá ít trường hợp để kết luận ({n})", "too few cases to judge ({n})"),
    "reconstruction": ("{index}, ước tính lại phần chưa công bố (kiểm định chéo): sai số điểm trung bình {mae} điểm, "
                       "sai số thứ hạng trung bình {rank_mae} bậc, khoảng 90% chứa {cover} thứ hạng đã công bố",
                       "{index}, reconstruction of unpublished values (cross-validated): mean score error {mae} points, "
                       "mean rank error {rank_mae} places, the 90% band held {cover} of published ranks"),
    "track_record": ("Các năm trước, khoảng 90% của mô hình chứa kết quả thực tế khoảng {tenths} lần trong 10 "
                     "(dự báo trước 1 năm, {index}); sai số điển hình {model} điểm, so với {naive} điểm nếu lấy "
                     "kết quả năm trước cộng xu hướng chung.",
                     "In past years the model's 90% band held the real result about {tenths} times in 10 "
                     "(1 year ahead, {index}); the typical error was {model} points, against {naive} for carrying "
                     "last year forward plus the national trend."),
    "track_record_missing": ("Chưa có bảng đánh giá mô hình đã lưu (chạy: simlib evaluate --write).",
                             "No stored evaluation of the model yet (run: simlib evaluate --write)."),
    "stale": ("Bảng đánh giá đã lưu không còn khớp với dữ liệu và mô hình hiện tại (chạy lại: simlib evaluate --write).",
              "The stored evaluation no longer matches the current data and model (rerun: simlib evaluate --write)."),
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
    "col_n_ranks": ("Số thứ hạng so sánh", "Ranks compared"),
    "col_rank_crps": ("CRPS thứ hạng (bậc)", "Rank CRPS (places)"),
    "col_rank_mae": ("Sai số thứ hạng TB (bậc)", "Mean rank error (places)"),
    "col_rank_coverage_90": ("Khoảng 90% chứa thứ hạng", "90% band held the rank"),
    "method_model": ("Mô hình", "Model"),
    "method_naive": ("Năm trước + xu hướng chung", "Last year + national trend"),
    "method_rank_persistence": ("Giữ nguyên thứ hạng", "Keep last year's rank"),
    "method_reconstruction": ("Ước tính lại (kiểm định chéo)", "Reconstruction (cross-validated)"),
    "col_change": ("Thay đổi", "Change"),
    "col_kept": ("Giữ lại", "Kept"),
    "col_measure": ("Thước đo", "Measure"),
    "col_before": ("Trước", "Before"),
    "col_after": ("Sau", "After"),
    "col_source": ("Nguồn, căn cứ", "Source"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "nb_note": ("Mỗi năm đã công bố được dự báo lại 1, 2 và 3 năm trước chỉ từ dữ liệu có đến lúc đó, và so với "
                "cách lấy kết quả năm trước cộng xu hướng chung. CRPS đo cả độ chính xác lẫn độ rộng của dự báo "
                "(điểm; càng nhỏ càng tốt).",
                "Every published year is projected again 1, 2 and 3 years ahead from the data available then, and "
                "set beside carrying last year forward plus the national trend. The CRPS measures both accuracy and "
                "the width of the forecast (points; lower is better)."),
}
SECTIONS["evaluation"] = EVALUATION


# planner: the league table, why the rank moves, the leader's one-pager, the Excel export
PLANNER: dict[str, tuple[str, str]] = {  # key: (vi, en)
    # plain words for probabilities and rank changes
    "futures": ("trong {k} trên {n} tương lai mô phỏng (sai số Monte-Carlo ±{margin} điểm %)",
                "in {k} of {n} simulated futures (Monte-Carlo margin ±{margin} points)"),
    "futures_short": ("{k}/{n} tương lai mô phỏng", "{k} of {n} simulated futures"),
    "places_gained": ("Số bậc {index} tăng thêm so với kịch bản gốc (dương = lên hạng)",
                      "{index} places gained over the baseline (positive = up)"),
    "rank_up": ("tăng {n} bậc", "up {n} places"),
    "rank_up_one": ("tăng 1 bậc", "up 1 place"),
    "rank_down": ("giảm {n} bậc", "down {n} places"),
    "rank_down_one": ("giảm 1 bậc", "down 1 place"),
    "rank_same": ("giữ nguyên thứ hạng", "no change in rank"),
    "effects_assumed": ("Mức tác động của các đòn bẩy là giả định (chưa có nghiên cứu nhân quả), được hiệu chỉnh "
                        "theo diễn biến 2023–24 của Hà Nội; xem bảng giả định.",
                        "The levers' effect sizes are assumptions (no causal study exists), calibrated to Hà Nội's "
                        "2023–24 path; see the assumptions table."),
    # the league table
    "league_title": ("Bảng xếp hạng {index} năm {year} ({n} địa phương)", "{index} league table, {year} ({n} units)"),
    "unit": ("Địa phương", "Unit"),
    "score_band": ("Điểm: trung vị (5–95%)", "Score: median (5–95%)"),
    "rank_band": ("Thứ hạng: trung vị (5–95%)", "Rank: median (5–95%)"),
    "p_top3": ("Xác suất top 3", "P(top 3)"),
    "p_top10": ("Xác suất top 10", "P(top 10)"),
    "status": ("Số liệu năm {year}", "Figure of {year}"),
    "published": ("công bố", "published"),
    "partly published": ("công bố một phần", "partly published"),
    "reconstructed": ("ước tính lại", "reconstructed"),
    "focal_mark": ("◀ {unit}", "◀ {unit}"),
    "proxy": ("Chỉ số tham khảo: {name} {year}", "Proxy: {name} {year}"),
    "proxy_none": ("chưa có", "none"),
    "cov_DTI_digital_government": ("DTI – trụ cột chính quyền số", "DTI digital-government pillar"),
    "cov_PAPI_e_governance": ("PAPI – quản trị điện tử", "PAPI e-governance"),
    "proxy_note": ("Cột “chỉ số tham khảo” là chỉ số khác đã công bố (nguồn: data/covariates.csv), không phải kết quả "
                   "PAR hay SIPAS; đơn vị sáp nhập năm 2025 lấy trung bình các tỉnh cũ.",
                   "“Proxy” columns are other published indices (source: data/covariates.csv), not PAR or SIPAS "
                   "results; a unit merged in 2025 takes the mean of its former provinces."),
    "league_note": ("{unit} theo kịch bản; mọi địa phương khác theo xu hướng chung của cả nước: mức đòn bẩy hiện tại "
                    "của họ là giả định chung (không có số liệu riêng từng tỉnh), cộng giả định về việc họ miễn phí "
                    "trực tuyến. Các chỉ số công bố khác (như trụ cột chính quyền số của DTI, nội dung quản trị điện "
                    "tử của PAPI) chỉ là chỉ số tham khảo, không phải kết quả PAR hay SIPAS. Thứ hạng được xếp lại "
                    "trong từng lần mô phỏng trên cùng bộ số ngẫu nhiên ({draws} lần).",
                    "{unit} follows the scenario; every other unit follows the national field model: their current "
                    "lever values are generic assumptions (no unit-by-unit data), plus the assumption about who "
                    "copies the zero online fee. Other published indices (DTI's digital-government pillar, PAPI's "
                    "e-governance dimension) are shown as labelled proxies only, not as PAR or SIPAS results. Ranks "
                    "are taken in every draw over the same random numbers ({draws} draws)."),
    "league_note_past": ("Năm đã công bố: điểm và thứ hạng chưa công bố được ước tính lại từ những gì đã biết (thứ hạng, "
                         "trung bình, cao nhất, thấp nhất, số địa phương nhóm A); khoảng 5–95% là độ bất định của việc "
                         "ước tính lại ({draws} lần mô phỏng). Các đòn bẩy không tác động tới năm đã qua.",
                         "A published year: scores and ranks not published are reconstructed from what is known (ranks, "
                         "the average, maximum, minimum, group-A count); the 5–95% band is the reconstruction's "
                         "uncertainty ({draws} draws). Levers do not act on past years."),
    "matrix_title": ("Xác suất mỗi địa phương ở từng thứ hạng, {index} năm {year}",
                     "Chance of each unit holding each rank, {index} {year}"),
    "matrix_colour": ("Tỷ lệ số lần mô phỏng", "Share of simulation draws"),
    # why the rank moves
    "part_start": ("{year}", "{year}"),
    "part_merger": ("Sáp nhập 2025, thay đổi phương pháp", "2025 merger, method change"),
    "part_trend": ("Xu hướng sẵn có", "Own business-as-usual trend"),
    "part_others": ("Các địa phương khác", "Other units' movement"),
    "part_levers": ("Đòn bẩy của kịch bản", "Your levers"),
    "part_end": ("{year}", "{year}"),
    "waterfall_title": ("Vì sao điểm và thứ hạng {index} của {unit} thay đổi, {start} → {end}",
                        "Why {unit}'s {index} score and rank move, {start} → {end}"),
    "waterfall_score": ("Điểm {index} (trung vị)", "{index} score (median)"),
    "waterfall_rank": ("Thứ hạng {index} (trung vị; 1 = cao nhất)", "{index} rank (median; 1 = best)"),
    "why_sentence": ("Các đòn bẩy của kịch bản thêm {levers} điểm; xu hướng sẵn có của {unit} thêm {trend} điểm; "
                     "{others}, nên thứ hạng trung vị đi từ {start_rank} đến {end_rank} ({change}).",
                     "Your levers add {levers} points; {unit}'s own business-as-usual trend adds {trend}; {others}, "
                     "so the median rank goes from {start_rank} to {end_rank} ({change})."),
    "others_rise": ("các địa phương khác tăng trung bình {x} điểm", "the other units rise by {x} on average"),
    "others_fall": ("các địa phương khác giảm trung bình {x} điểm", "the other units fall by {x} on average"),
    "why_merger": ("Riêng việc sáp nhập còn 34 đơn vị năm 2025: {change}.",
                   "The 2025 merger into 34 units alone: {change}."),
    "why_method": ("Bộ tiêu chí PAR mới năm 2025 (QĐ 1187/QĐ-BNV) chưa được công bố chi tiết, nên mô hình không "
                   "lượng hóa tác động của thay đổi phương pháp.",
                   "The 2025 PAR criteria (QĐ 1187/QĐ-BNV) are not published in detail, so the model does not "
                   "quantify a method change."),
    "why_order": ("Các phần được tính lần lượt trên cùng các lần mô phỏng (sáp nhập → xu hướng sẵn có → các địa "
                  "phương khác → đòn bẩy) và cộng lại đúng bằng thay đổi tổng của trung vị; chia theo từng đòn bẩy "
                  "bằng giá trị Shapley (trung bình trên mọi thứ tự thêm đòn bẩy).",
                  "The parts are taken in turn on the same draws (merger → own trend → other units → levers) and add "
                  "up to the change of the median; the split by lever is a Shapley value (the average over every "
                  "order of adding the levers)."),
    "lever_part": ("Đòn bẩy", "Lever"),
    "score_change": ("Thay đổi điểm (trung vị)", "Score change (median)"),
    "rank_change": ("Thay đổi thứ hạng (trung vị)", "Rank change (median)"),
    "part": ("Phần", "Part"),
    "total": ("Tổng", "Total"),
    # the leader's one-pager
    "onepager_title": ("{unit}: kịch bản “{name}” — tóm tắt cho lãnh đạo", "{unit}: scenario “{name}” — one page for leaders"),
    "big_top3": ("Khả năng PAR trong top 3 năm {year}", "Chance of PAR top 3 in {year}"),
    "big_sipas": ("Khả năng SIPAS ≥ 86% năm {year}", "Chance of SIPAS ≥ 86% in {year}"),
    "big_rank": ("Thứ hạng PAR trung vị năm {year}", "Median PAR rank in {year}"),
    "big_cost": ("Phí, lệ phí miễn giảm năm {year}", "Fees forgone in {year}"),
    "today_to_scenario": ("giữ nguyên chính sách → kịch bản", "today's policies → scenario"),
    "cost_line": ("{cost} tỷ đồng/năm (5–95%: {band}); giữ nguyên chính sách: {base} tỷ đồng/năm. Chi phí triển khai "
                  "các đòn bẩy khác: chưa có số liệu.",
                  "{cost} bn VND per year (5–95%: {band}); with today's policies: {base} bn VND per year. The other "
                  "levers' implementation cost: unknown (no data)."),
    "track_record": ("Độ chính xác của mô hình", "How good the model has been"),
    "backtest_line": ("Dự báo lại năm {year} từ số liệu trước đó ({index}): sai số tuyệt đối trung vị {model} điểm, "
                      "so với {naive} điểm của dự báo đơn giản (năm trước cộng xu hướng chung) — {verdict}.",
                      "Re-forecasting {year} from earlier data ({index}): median absolute error {model} points against "
                      "{naive} for the naive forecast (last year plus the national trend) — {verdict}."),
    "beats": ("mô hình tốt hơn", "the model does better"),
    "not_beats": ("mô hình không tốt hơn", "the model does not do better"),
    "assumed": ("Giả định", "What is assumed"),
    "assumed_levers": ("Đòn bẩy đến năm {year}: {levers}.", "Levers by {year}: {levers}."),
    "assumed_field": ("{field} Thứ hạng trong 34 đơn vị từ năm 2025.", "{field} Ranks among 34 units from 2025."),
    "made_with": ("{draws} lần mô phỏng, số khởi tạo ngẫu nhiên {seed}; lập ngày {date}.", "{draws} draws, seed {seed}; made on {date}."),
    "download_onepager": ("Tải bản tóm tắt một trang (PDF)", "Download the one-page summary (PDF)"),
    "download_excel": ("Tải kết quả (Excel)", "Download the results (Excel)"),
    # the panel: goal-seek, lever context, downloads
    "goal_title": ("Cần làm gì để đạt mục tiêu?", "What would it take?"),
    "goal_rank": ("Thứ hạng PAR mục tiêu (top)", "Target PAR rank (top)"),
    "goal_prob": ("Xác suất cần đạt (%)", "Required probability (%)"),
    "goal_year": ("Năm", "Year"),
    "goal_run": ("Tìm cách ít tốn công nhất", "Find the least-effort way"),
    "goal_busy": ("Đang tìm… (yêu cầu mới sẽ thay thế yêu cầu này)", "Searching… (a new request replaces this one)"),
    "goal_cancelled": ("Đã hủy: có yêu cầu mới.", "Cancelled: a newer request replaced it."),
    "goal_reachable": ("Đạt được top {rank} PAR năm {year} {futures}, với mức đòn bẩy ít tốn công nhất dưới đây.",
                       "PAR top {rank} in {year} is reached {futures}, with the least-effort lever mix below."),
    "goal_already": ("Đã đạt với thiết lập hiện tại: top {rank} PAR năm {year} xảy ra {futures}.",
                     "Already reached with today's settings: PAR top {rank} in {year} happens {futures}."),
    "goal_out_of_reach": ("Ngoài tầm với, vì: kể cả khi mọi đòn bẩy ở mức tối đa, top {rank} PAR năm {year} chỉ xảy ra "
                          "{futures}, dưới mức {prob} cần đạt.",
                          "Out of reach, because even with every lever at its maximum PAR top {rank} in {year} happens "
                          "only {futures}, below the {prob} required."),
    "goal_fees": ("Phí, lệ phí miễn giảm năm {year}: {cost} tỷ đồng/năm.", "Fees forgone in {year}: {cost} bn VND per year."),
    "goal_apply": ("Áp dụng mức này vào các thanh trượt", "Apply this mix to the sliders"),
    "today_col": ("Hiện tại", "Today"),
    "needed_col": ("Cần đạt", "Needed"),
    "context_title": ("Bối cảnh từng đòn bẩy (tại thiết lập hiện tại, năm {year})",
                      "Each lever in context (at the current settings, {year})"),
    "setting_col": ("Thiết lập", "Setting"),
    "gain_col": ("Thêm 10 điểm % đòn bẩy thì", "10 more points of the lever give"),
    "gain_text": ("PAR {par} điểm; top 3: {p3} điểm %; thứ hạng trung vị: {rank}",
                  "PAR {par} points; top 3: {p3} points; median rank: {rank}"),
    "at_max": ("đã ở mức tối đa", "already at its maximum"),
    "cost_col": ("Chi phí", "Cost"),
    "cost_fees": ("phí, lệ phí miễn giảm {cost} tỷ đồng/năm (chi phí triển khai: chưa có số liệu)",
                  "fees forgone {cost} bn VND per year (implementation cost: unknown)"),
    "cost_unknown": ("chi phí triển khai: chưa có số liệu", "implementation cost: unknown (no data)"),
    "reset_today": ("Về mức hiện tại", "Reset to today"),
    "downloads": ("Tải về", "Downloads"),
    "preparing": ("Đang chuẩn bị…", "Preparing…"),
    "ready_download": ("Sẵn sàng: {link}", "Ready: {link}"),
    "download_failed": ("Không tạo được tệp: {error}", "Could not make the file: {error}"),
    # the Excel export
    "indicator": ("Chỉ tiêu", "Indicator"),
    "in_words": ("Diễn giải", "In words"),
    "sheet_key": ("Số liệu chính", "Key figures"),
    "sheet_yearly": ("Kết quả theo năm", "Yearly results"),
    "sheet_league": ("Bảng xếp hạng", "League table"),
    "sheet_assumptions": ("Giả định", "Assumptions"),
}
SECTIONS["planner"] = PLANNER


# ---------------------------------------------------------------- problems with an input, in Vietnamese
# What is allowed, as the engine says it (English, as in the command line's messages) → Vietnamese.
# Patterns are tried in order; a phrase without a pattern is shown as it is.
ALLOWED_VI_MORE: tuple[tuple[str, str], ...] = (  # positional groups; tried before ALLOWED_VI
    (r"a share from (\S+) to (\S+) \(fraction, e\.g\. 0\.6 = 60%\)",
     "một tỷ lệ từ {0} đến {1} (viết dạng thập phân, ví dụ 0,6 = 60%)"),
    (r"a share from (\S+) to (\S+)", "một tỷ lệ từ {0} đến {1}"),
    (r"a whole number from (\S+) to (\S+)", "một số nguyên từ {0} đến {1}"),
    (r"a year from (\d+) to (\d+)", "một năm từ {0} đến {1}"),
    (r"a non-empty text of at most (\d+) characters", "một đoạn chữ không để trống, tối đa {0} ký tự"),
    (r"a text of at most (\d+) characters, or \{vi: text, en: text\}",
     "một đoạn chữ tối đa {0} ký tự, hoặc {{vi: chữ tiếng Việt, en: chữ tiếng Anh}}"),
    (r"a unit of the 2025 field: (\S+) merged into '(\S+)' on 1/7/2025",
     "một đơn vị hành chính từ năm 2025: {0} đã hợp nhất vào «{1}» từ ngày 1/7/2025"),
    (r"a 2025 unit slug, one of (.*)", "mã một đơn vị hành chính từ năm 2025, là một trong: {0}"),
    (r"a lever: one of (.*)", "một đòn bẩy, là một trong: {0}"),
    (r"one of (.*)", "một trong: {0}"),
    (r"a mapping of lever name to target, \{target, year\} or \{path\}",
     "một bảng ghép tên đòn bẩy với mục tiêu, {{target, year}} hoặc {{path}}"),
    (r"a share, \{target, year\} or \{path: \{year: share\}\}",
     "một tỷ lệ, {{target, year}} hoặc {{path: {{năm: tỷ lệ}}}}"),
    (r"either \{target: share, year: year\} or \{path: \{year: share, \.\.\.\}\}",
     "hoặc {{target: tỷ lệ, year: năm}}, hoặc {{path: {{năm: tỷ lệ, ...}}}}"),
    (r"a non-empty mapping of year to share", "một bảng không để trống, ghép năm với tỷ lệ"),
    (r"a mapping with (.*)", "một bảng gồm {0}"),
    (r"a mapping of scenario fields", "một bảng các trường của kịch bản"),
    (r"each year once \((\S+) and (\S+) are the same year\)", "mỗi năm chỉ một lần ({0} và {1} là cùng một năm)"),
    (r"valid YAML with each key once.*", "YAML hợp lệ, mỗi khóa chỉ một lần (nếu không, giá trị trước sẽ bị mất)"),
    (r"valid YAML.*", "YAML hợp lệ (một bảng các trường của kịch bản)"),
    (r"'vi' \(Vietnamese\) or 'en' \(English\)", "'vi' (tiếng Việt) hoặc 'en' (tiếng Anh)"),
)


def allowed_text(allowed: str, lang: str = "vi") -> str:
    """What an input problem says is allowed, in ``lang`` (the engine writes it in English)."""
    import re

    if lang == "en":
        return allowed
    for pattern, vi in ALLOWED_VI_MORE:
        m = re.fullmatch(pattern, allowed)
        if m:
            return vi.format(*(g.replace(".", ",") if re.fullmatch(r"[\d.]+", g) else g for g in m.groups()))
    for pattern, vi in ALLOWED_VI:  # named groups; lo and hi are numbers
        m = re.fullmatch(pattern, allowed)
        if m:
            marks = str.maketrans(",.", ".,")
            return vi.format(**{k: (v.translate(marks) if k in ("lo", "hi") else v) for k, v in m.groupdict().items()})
    return allowed


def issue_text(issue, lang: str = "vi") -> str:
    """One input problem as a line in ``lang``: where, what was given (shown short), what is allowed."""
    from ..engine.errors import short

    got, allowed = ("nhận", "cho phép") if lang == "vi" else ("got", "allowed")
    return f"{issue.where}: {got} {short(issue.value)}; {allowed}: {allowed_text(issue.allowed, lang)}"


# ---------------------------------------------------------------- data clashes, in Vietnamese
CLASHES_VI: tuple[tuple[str, str], ...] = (
    (r"(\S+): sources give scores (\[.*?\]) and ranks (\[.*?\]); written rule: (\S+) / rank (\S+) \((.*)\)",
     "{0}: các nguồn cho điểm {1} và thứ hạng {2}; theo quy tắc đã ghi, dùng {3} / hạng {4} "
     "(lý do: {5})"),
    (r"(\S+): sources give scores (\[.*?\]) and ranks (\[.*?\]) with no written rule; default rule "
     r"\(best status, then most sources\) keeps (\S+) / rank (\S+)",
     "{0}: các nguồn cho điểm {1} và thứ hạng {2}, chưa có quy tắc riêng; theo quy tắc mặc định (ưu tiên "
     "số liệu có trạng thái tốt nhất, rồi số liệu có nhiều nguồn nhất) dùng {3} / hạng {4}"),
    (r"covariate (\S+) (\d+) (\S+): scores (\S+) and (\S+) \(row (\d+)\); kept the first",
     "chỉ số {0} năm {1}, {2}: hai điểm {3} và {4} (dòng {5}); giữ điểm ghi trước"),
    (r"rank (\d+) given to (.*); kept for (\S+) \(best supported\), dropped for the others",
     "hạng {0} được ghi cho {1}; giữ cho {2} (nhiều căn cứ nhất), bỏ ở các tỉnh còn lại"),
    (r"(\S+) rank (\d+) scores (\S+) below (\S+) rank (\d+) at (\S+); dropped the rank of (\S+) \(less supported\)",
     "{0} hạng {1} có điểm {2}, thấp hơn {3} hạng {4} với {5}; bỏ thứ hạng của {6} (ít căn cứ hơn)"),
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
    "fraction of compliance cost per unit share simplified":
        "phần chi phí tuân thủ trên một đơn vị tỷ lệ thủ tục được đơn giản hóa",
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
