"""Labels of the reports and the panel (``say(key)``): table headers, units, headings ("h_"),
notes ("n_") and summary sentences ("s_"), each as (Vietnamese, English)."""

from __future__ import annotations

from ...engine import outcomes

LABELS: dict[str, tuple[str, str]] = {  # key: (vi, en)
    # the outcomes of Result.rows(): their labels are declared with them (simlib.engine.outcomes)
    **outcomes.labels(),
    # the parameters' groups (data/parameters.csv column group)
    "group_drivers": ("các yếu tố trung gian", "drivers"),
    "group_sipas": ("SIPAS", "sipas"),
    "group_par": ("Chỉ số CCHC (PAR)", "par"),
    "group_cost": ("chi phí", "cost"),
    "group_field": ("diễn biến của các địa phương", "field"),
    "group_reconstruction": ("dựng lại số liệu chưa công bố", "reconstruction"),
    # a problem with an input: "where: got VALUE; allowed: WHAT"
    "got": ("nhận", "got"),
    "allowed": ("cho phép", "allowed"),
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
    "others_partial": (
        "{share}% các địa phương khác làm theo, từ năm {year}",
        "{share}% of the other units copy it, from {year}",
    ),
    "not_a_file_name": (
        "chỉ một tên tệp .yaml trong thư mục {folder} (không có đường dẫn, không có “..”)",
        "a .yaml file name only, inside the folder {folder} (no path, no “..”)",
    ),
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
    "units_intro": (
        "Mỗi ô: xác suất vào nhóm 3, 5 và 10 địa phương dẫn đầu Chỉ số CCHC (PAR Index) năm {year} "
        "(trong ngoặc: khoảng Monte-Carlo 90%) và thứ hạng trung vị (khoảng 5–95%); bấm vào ô để "
        "mở báo cáo.",
        "Each cell: the probability of a PAR Index top-3, top-5 and top-10 place in "
        "{year} (in brackets: its 90% Monte-Carlo interval) and the median rank (5–95% band); click "
        "a cell to open its report.",
    ),
    "median_rank": ("thứ hạng trung vị", "median rank"),
    "top_k": ("top {k}", "top {k}"),  # as Vietnamese press writes it ("top 3 cả nước")
    "not_run": ("không chạy được", "did not run"),
    "comparison_failed": (
        "Không lập được trang so sánh; dưới đây là danh sách báo cáo và các số liệu chính",
        "The comparison could not be rendered; the reports and headline numbers are below",
    ),
}


# Words of the rendered reports (headings, notes, table headers, plain-language summaries).
# Keys starting with "h_" are headings, "n_" explanatory notes, "s_" summary sentences;
# {fields} are filled by simlib.reports.text and must be the same in both languages.
LABELS.update(
    {
        # headings
        "h_history_title": (
            "Lịch sử Chỉ số CCHC (PAR Index) và Chỉ số SIPAS: {unit}",
            "PAR Index and SIPAS history: {unit}",
        ),
        "h_history_scores": ("Điểm và thứ hạng qua các năm", "Scores and ranks over the years"),
        "h_history_table": ("Số liệu đã công bố", "Published figures"),
        "h_field_year": ("Toàn bộ các địa phương năm {year}: {index}", "The whole field in {year}: {index}"),
        "h_merger": (
            "Sắp xếp đơn vị hành chính năm 2025: 63 tỉnh, thành phố thành 34 đơn vị",
            "The 2025 merger: 63 provinces into 34 units",
        ),
        "h_report_title": ("Báo cáo kịch bản «{name}»: {unit}", "Scenario report “{name}”: {unit}"),
        "h_assumed": ("Các giả định của kịch bản", "What the scenario assumes"),
        "h_headline": ("Kết quả chính năm {year}", "Headline results for {year}"),
        "h_projections": ("Dự báo qua các năm", "Projections over the years"),
        "h_ranks": ("Phân bố thứ hạng năm {year}", "Rank distribution in {year}"),
        "h_cost": ("Chi phí", "Cost"),
        "h_comparison": (
            "So sánh với việc giữ nguyên chính sách hiện hành",
            "Comparison with today's policies continued",
        ),
        "h_assumption_table": ("Tham số, giả định và nguồn", "Parameters, assumptions and sources"),
        "h_levers": ("Các đòn bẩy chính sách", "The policy levers"),
        "h_lever_effects": ("Mỗi đòn bẩy tác động qua đâu", "How each lever acts"),
        "n_lever_effects": (
            "Mỗi dòng: một đòn bẩy tác động lên một yếu tố trung gian (tỷ lệ nộp hồ sơ trực tuyến, "
            "thời gian giải quyết, chi phí tuân thủ) hoặc trực tiếp lên một lĩnh vực của Chỉ số CCHC "
            "(PAR), với độ lớn là một tham số trong bảng tham số. Bảng lấy từ tệp "
            "data/lever_effects.csv; thêm một đòn bẩy chỉ cần thêm dữ liệu.",
            "Each row: a lever acting on a driver (online submission share, processing time, "
            "compliance cost) or directly on a field of the PAR Index, its size a parameter of "
            "the parameter table. The table is data/lever_effects.csv; adding a lever needs "
            "data only.",
        ),
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
        "h_clashes": (
            "Số liệu không khớp giữa các nguồn và quy tắc áp dụng",
            "Clashes between sources and the rule applied",
        ),
        "h_field_fit": ("Diễn biến của các địa phương khác", "How the rest of the field moves"),
        "h_why": ("Vì sao thứ hạng thay đổi, {start} → {end}", "Why the rank moves, {start} → {end}"),
        "h_league": ("Bảng xếp hạng năm {year}", "League table, {year}"),
        "h_effect_sizes": ("Quy mô tác động của từng đòn bẩy", "Effect size of each lever"),
        # explanatory notes
        "n_history": (
            "Điểm và thứ hạng do Bộ Nội vụ công bố hằng năm, so với trung bình cả nước và điểm "
            "cao nhất. Năm không có điểm là năm chưa có số liệu công bố được đối chiếu nguồn. "
            "Trước 2025 xếp hạng 63 tỉnh, thành phố; từ 2025 là 34 đơn vị.",
            "Scores and ranks published each year by the Ministry of Home Affairs, against the "
            "national average and the top score. A year without a point has no published figure "
            "with a checked source. Before 2025 the 63 provinces were ranked; from 2025 the 34 units.",
        ),
        "n_field": (
            "Chấm đặc: điểm đã công bố. Chấm rỗng có râu: điểm ước tính lại (trung vị và khoảng "
            "5–95%), vì bảng đầy đủ chỉ được công bố dưới dạng ảnh; thứ hạng của các điểm này cũng là "
            "ước tính.",
            "Filled markers: published scores. Hollow markers with whiskers: reconstructed scores "
            "(median and 5–95% band), since full tables are published only as images; their ranks "
            "are estimates too.",
        ),
        "n_merger": (
            "Từ 1/7/2025 (Nghị quyết 202/2025/QH15), 63 tỉnh, thành phố được sắp xếp thành 34 đơn "
            "vị. Điểm xuất phát của một đơn vị hợp nhất là trung bình (trọng số bằng nhau) của các "
            "tỉnh cấu thành; Hà Nội không sáp nhập nên giữ nguyên lịch sử của mình.",
            "From 1/7/2025 (Resolution 202/2025/QH15) the 63 provinces form 34 units. A merged "
            "unit starts from the equal-weight mean of its constituent provinces; Hà Nội was not "
            "merged and keeps its own history.",
        ),
        "n_projections": (
            "Đường liền là trung vị của các lần mô phỏng, vùng tô là khoảng 5–95%; chấm đen là điểm đã công bố.",
            "Lines are the median of the simulation draws, shaded areas the 5–95% band; black "
            "dots are published scores.",
        ),
        "n_ranks": (
            "Mỗi cột là tỷ lệ số lần mô phỏng đạt thứ hạng đó; vạch đậm là trung vị, vùng tô là "
            "khoảng 5–95%. Trước 2025 xếp hạng 63 tỉnh, thành phố; từ 2025 là 34 đơn vị.",
            "Each bar is the share of simulation draws at that rank; the thick line is the median, "
            "the shaded area the 5–95% band. Before 2025 the 63 provinces were ranked; from 2025 the "
            "34 units.",
        ),
        "n_targets_over_time": (
            "Đường là tỷ lệ số lần mô phỏng đạt mục tiêu; vùng tô là khoảng tin cậy 90% của ước lượng này.",
            "Lines are the share of simulation draws that meet the target; shaded areas the "
            "90% interval of that estimate.",
        ),
        "n_cost": (
            "Chi phí ở đây là số thu phí, lệ phí không thu được do miễn phí khi nộp hồ sơ trực tuyến "
            "(tỷ đồng/năm). Số này tăng theo tỷ lệ hồ sơ trực tuyến: ước tính khoảng 37 tỷ đồng/năm của "
            "Thành phố (2023) ứng với khoảng 30% hồ sơ nộp trực tuyến; với khoảng 60% hiện nay, cùng mức "
            "phí bị miễn gần gấp đôi. Chi phí triển khai các đòn bẩy khác chưa được tính.",
            "Cost here is the fee revenue forgone by waiving fees for online submission (bn VND per "
            "year). It grows with the online share: the city's estimate of about 37 bn VND/yr (2023) "
            "was made with about 30% of dossiers online; at today's ~60% the same fees forgo nearly "
            "twice as much. The cost of putting the other levers in place is not counted.",
        ),
        "n_comparison": (
            "Kịch bản đối chứng giữ mọi đòn bẩy ở mức hiện tại, với cùng giả định về các địa "
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
            "difference of two medians. Fees forgone are given as means.",
        ),
        "n_data": (
            "Năm {year}, {published} trong {total} điểm {index} đã được công bố; {reconstructed} điểm "
            "còn lại được ước tính lại từ thứ hạng, điểm trung bình, cao nhất, thấp nhất đã công bố và "
            "độ bất định của chúng được đưa vào các dự báo.",
            "In {year}, {published} of the {total} {index} scores were published; the other "
            "{reconstructed} were reconstructed from the published ranks, average, maximum and "
            "minimum, and their uncertainty is carried into the projections.",
        ),
        "n_grid": (
            "Mỗi ô là kết quả năm {year} khi hai đòn bẩy đạt các mức trên hai trục vào năm đó, các "
            "đòn bẩy khác giữ nguyên; mọi ô dùng cùng các lần mô phỏng.",
            "Each cell is the {year} outcome when the two levers reach the levels on the axes by that "
            "year, the other levers held; every cell uses the same simulation draws.",
        ),
        "n_grid_any_year": (
            "Mỗi ô là kết quả khi hai đòn bẩy đạt các mức trên hai trục vào năm mục tiêu, các "
            "đòn bẩy khác giữ nguyên; mọi ô dùng cùng các lần mô phỏng.",
            "Each cell is the outcome when the two levers reach the levels on the axes by the "
            "target year, the other levers held; every cell uses the same simulation draws.",
        ),
        "n_batch_examples": (
            "Các kịch bản mẫu của dự án, chạy với {draws} lần mô phỏng và cùng số ngẫu nhiên.",
            "The project's example scenarios, run with {draws} draws and common random numbers.",
        ),
        "n_batch_dir": (
            "Kết quả đọc từ lô kịch bản «{name}» ({ok} kịch bản thành công, {failed} lỗi).",
            "Results read from the batch “{name}” ({ok} scenarios completed, {failed} failed).",
        ),
        "n_effect_sizes": (
            "Mỗi đòn bẩy thay đổi 10 điểm phần trăm từ năm {first} (các đòn bẩy khác giữ "
            "nguyên); tác động đo năm {year}, khi gần như đã phát huy đầy đủ: trung vị và "
            "khoảng 5–95% của chênh lệch so với giữ nguyên. Đòn bẩy đã ở mức tối đa được tính "
            "theo chiều giảm 10 điểm.",
            "Each lever moved by 10 percentage points from {first} (the others held); the "
            "effect is measured in {year}, when it has almost fully shown: median and 5–95% "
            "band of the difference from holding it. A lever already at its maximum is moved "
            "down by 10 points.",
        ),
        "n_parameters": (
            "Mỗi hệ số có giá trị hoặc phân phối tiên nghiệm, đơn vị, và nguồn hoặc lý do giả "
            "định. Diễn giải và nguồn giữ nguyên ngôn ngữ của tài liệu gốc.",
            "Every coefficient has a value or prior distribution, a unit, and a source or the "
            "reason for the assumption.",
        ),
        "n_field_assumption_none": (
            "Các địa phương khác theo xu hướng chung cả nước, không giả định thêm chính sách miễn phí trực tuyến.",
            "The other units follow the national trend; no extra online fee waiver is assumed for them.",
        ),
        "n_field_assumption": (
            "{share}% các địa phương khác áp dụng miễn phí khi nộp trực tuyến từ năm {year}.",
            "{share}% of the other units adopt a zero online fee from {year}.",
        ),
        "n_run": (
            "{draws} lần mô phỏng, số khởi tạo ngẫu nhiên {seed}; số liệu công bố đến năm {baseline_year}, "
            "dự báo đến năm {horizon}.",
            "{draws} simulation draws, random seed {seed}; published data up to {baseline_year}, "
            "projected to {horizon}.",
        ),
        "n_date": ("Ngày lập báo cáo: {date}", "Report date: {date}"),
        "n_no_grid": ("Chưa có lưới hai đòn bẩy.", "No two-lever grid."),
        # plain-language summary sentences
        "s_par": (
            "Với các đòn bẩy này, đến năm {year} {unit} có xác suất {p_top3} nằm trong top 3 Chỉ số "
            "CCHC (PAR Index) và {p_top10} trong top 10; thứ hạng PAR trung vị là {rank} trên {n} đơn vị "
            "(khoảng 5–95%: {rank_band}), điểm PAR trung vị {par} (khoảng 5–95%: {par_band}).",
            "With these levers, by {year} {unit} has a {p_top3} probability of ranking in the PAR Index "
            "top 3 and {p_top10} in the top 10; its median PAR rank is {rank} of {n} units "
            "(5–95%: {rank_band}), its median PAR score {par} (5–95%: {par_band}).",
        ),
        "s_sipas": (
            "SIPAS trung vị đạt {sipas}% (khoảng 5–95%: {sipas_band}%); xác suất đạt mục tiêu SIPAS "
            "≥ 86% là {p_sipas}.",
            "Median SIPAS reaches {sipas}% (5–95%: {sipas_band}%); the probability of meeting the "
            "SIPAS ≥ 86% target is {p_sipas}.",
        ),
        "s_futures": (
            "Nói cách khác: top 3 PAR xảy ra {top3}; SIPAS ≥ 86% xảy ra {sipas}.",
            "Put plainly: a PAR top-3 rank happens {top3}; SIPAS ≥ 86% happens {sipas}.",
        ),
        "s_cost": (
            "Miễn phí nộp trực tuyến làm giảm thu phí, lệ phí năm {year}: {cost}.",
            "Waiving online fees forgoes fee revenue in {year}: {cost}.",
        ),
        "s_compare": (
            "So với giữ nguyên chính sách hiện hành, điểm PAR chênh {par_diff} điểm (khoảng 5–95%: "
            "{par_band}), SIPAS chênh {sipas_diff} điểm phần trăm (khoảng 5–95%: {sipas_band}); xác "
            "suất top 3 PAR từ {p_base} thành {p_top3}.",
            "Compared with today's policies continued, the PAR score changes by {par_diff} points "
            "(5–95%: {par_band}) and SIPAS by {sipas_diff} percentage points (5–95%: {sipas_band}); the "
            "probability of a top-3 PAR rank goes from {p_base} to {p_top3}.",
        ),
        # table headers and figure words
        "indicator": ("Chỉ tiêu", "Indicator"),
        "difference_shown": ("Chênh lệch giữa hai giá trị hiển thị", "Difference of the values shown"),
        "paired_difference": (
            "Chênh lệch theo từng lần mô phỏng: trung vị (khoảng 5–95%)",
            "Paired difference, draw by draw: median (5–95% band)",
        ),
        "median_band": ("Trung vị (khoảng 5–95%)", "Median (5–95% band)"),
        "mean_band": ("Trung bình (khoảng 5–95%)", "Mean (5–95% band)"),
        # fees forgone: one statistic everywhere (simlib.analysis.fees), always said to be a mean
        "fee_mean": ("{mean} tỷ đồng/năm (trung bình)", "{mean} bn VND per year (mean)"),
        "fee_mean_band": (
            "{mean} tỷ đồng/năm (trung bình; khoảng 5–95%: {band})",
            "{mean} bn VND per year (mean; 5–95%: {band})",
        ),
        "fee_statistic": ("trung bình", "mean"),
        "wrote": ("Đã ghi: {paths}", "wrote {paths}"),
        # the progress line of a long computation on the terminal (runs.progress)
        "progress_line": (
            "{label}: {done:,} / {total:,} {unit} ({share:.0f}%)",
            "{label}: {done:,} / {total:,} {unit} ({share:.0f}%)",
        ),
        "progress_left": (", còn khoảng {left}", ", about {left} left"),
        "progress_s": ("{n} giây", "{n} s"),
        "progress_min": ("{n} phút", "{n} min"),
        "progress_h": ("{n:.1f} giờ", "{n:.1f} h"),
        "progress_lever_settings": ("thiết lập đòn bẩy", "lever settings"),
        "progress_sample_rows": ("dòng mẫu", "sample rows"),
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
        "trend_points": (
            "Trung bình cả nước tăng (điểm/năm, ở mức hiện tại)",
            "National average gain (points per year, at today's level)",
        ),
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
        "effect_fee": ("Phí miễn giảm, trung bình (tỷ đồng/năm)", "Fees forgone, mean (bn VND per year)"),
        "years_to_90": ("Số năm để đạt 90% tác động", "Years until 90% of the effect shows"),
        "effect_per_10": (
            "Tác động của 10 điểm % mỗi đòn bẩy (trung vị, khoảng 5–95%)",
            "Effect of 10 percentage points of each lever (median, 5–95% band)",
        ),
        "lever_pct": ("{lever} (%)", "{lever} (%)"),
        "status": ("Trạng thái", "Status"),
        "no_results": ("Không có kịch bản nào hoàn thành", "No scenario completed"),
        "failed": ("lỗi", "failed"),
    }
)
