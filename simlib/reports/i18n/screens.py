"""Words of the lever explorer (``say("panel.key")``) and of the planner's views (``"planner."``:
the league table, why the rank moves, the one-pager, the Excel export), as (Vietnamese, English)."""

from __future__ import annotations

# panel: words of the lever explorer (simlib/app/panel.py)
PANEL: dict[str, tuple[str, str]] = {
    "title": ("Thử các đòn bẩy cải cách hành chính", "Reform lever explorer"),
    "intro": (
        "Mỗi thanh trượt là giá trị (%) mà đòn bẩy đạt tới vào năm mục tiêu, tăng đều từ mức "
        "hiện tại. Kết quả từ {draws} lần mô phỏng Monte-Carlo (số khởi tạo ngẫu nhiên {seed}); dải màu là "
        "khoảng 5–95%.",
        "Each slider is the value (%) a lever reaches by the target year, ramped evenly from "
        "today's value. Results from {draws} Monte-Carlo draws (seed {seed}); shaded bands are "
        "the 5–95% range.",
    ),
    "today": ("hiện tại {value}% ({year})", "today {value}% ({year})"),
    "results_for": ("Kết quả năm {year} — {unit}", "Results for {year} — {unit}"),
    "band": ("khoảng 5–95%", "5–95% band"),
    "waiver_cost": ("Phí, lệ phí miễn giảm khi nộp trực tuyến", "Online fees waived"),
    "bn_per_year": ("tỷ đồng/năm", "bn VND/yr"),
    "compare_title": (
        "So với giữ nguyên chính sách hiện hành (cùng bộ số ngẫu nhiên)",
        "Compared with today's policies continued (common random numbers)",
    ),
    "sipas_projection": ("SIPAS dự báo (%)", "Projected SIPAS (%)"),
    "par_projection": ("Điểm PAR Index dự báo (/100)", "Projected PAR Index score (of 100)"),
    "rank_in_year": ("{metric} năm {year}", "{metric} in {year}"),
    "sipas_target": ("Mục tiêu SIPAS 86%", "SIPAS target 86%"),
    "scenario_file": ("Tệp kịch bản", "Scenario file"),
    "saved": ("Đã lưu kịch bản vào {path}", "Scenario saved to {path}"),
    "exists": (
        "{path} đã có: bấm “Lưu kịch bản” lần nữa để ghi đè.",
        "{path} already exists: press “Save scenario” again to replace it.",
    ),
    "not_yaml": (
        "Tên tệp phải kết thúc bằng .yaml hoặc .yml: {path}",
        "The file name must end in .yaml or .yml: {path}",
    ),
    "save_failed": ("Không lưu được {path}: {error}", "Could not save {path}: {error}"),
    "loaded": ("Đã mở kịch bản “{name}” từ {path}", "Loaded scenario “{name}” from {path}"),
    "load_failed": (
        "Không mở được kịch bản, thiết lập giữ nguyên:",
        "Could not load the scenario; the settings are unchanged:",
    ),
    "ignored": ("Một số giá trị không dùng được và đã bị bỏ qua:", "Some values could not be used and were ignored:"),
    "compute_failed": ("Không tính được kết quả:", "Could not compute the results:"),
    "share_link": (
        "Liên kết tới đúng thiết lập này (cùng số liệu khi mở lại)",
        "Link to exactly these settings (the same numbers when reopened)",
    ),
    "share_query_only": ("thêm vào sau địa chỉ của trang ứng dụng", "append it to the app page's address"),
    "copy_link": ("Sao chép liên kết", "Copy link"),
    "copied": ("Đã sao chép liên kết", "Link copied"),
    "copy_failed": (
        "Không sao chép được: hãy chọn liên kết và sao chép",
        "Could not copy: select the link and copy it",
    ),
    "points": ("điểm %", "pp"),
    "paired_note": (
        "Cột “chênh lệch giữa hai giá trị hiển thị” là phép trừ hai cột trước, như biểu đồ thác nước bên dưới. "
        "Cột “theo từng lần mô phỏng” trừ từng cặp trong cùng một lần mô phỏng rồi lấy trung vị và khoảng 5–95%: "
        "cho biết thay đổi chắc chắn đến đâu; trung vị của các chênh lệch có thể khác chênh lệch của hai trung vị.",
        "“Difference of the values shown” subtracts the two columns before it, as the waterfall below does. "
        "“Paired difference, draw by draw” subtracts each pair within one simulated future, then takes the median "
        "and the 5–95% band: how sure the change is; a median of differences can differ from the difference of "
        "two medians.",
    ),
    "computing": ("Đang tính…", "Computing…"),
    "disconnected": (
        "Mất kết nối với máy chủ: số liệu trên trang không còn được cập nhật. Hãy tải lại trang.",
        "Disconnected from the server: the numbers on this page no longer update. Reload the page.",
    ),
    "reload": ("Tải lại trang", "Reload"),
    "busy_title": ("Máy chủ đang bận", "Server busy"),
    "busy_text": (
        "Đã có {limit} phiên làm việc đang mở, mức tối đa của máy chủ này. Trang sẽ tự thử lại sau "
        "{seconds} giây; cũng có thể đóng bớt các trang không còn dùng.",
        "{limit} sessions are already open, the most this server allows. This page tries again in "
        "{seconds} s; closing pages no longer in use also helps.",
    ),
    "download_scenario": ("Tải kịch bản về máy (YAML)", "Download scenario (YAML)"),
    "upload_scenario": ("Mở tệp kịch bản…", "Open scenario file…"),
    "uploaded": ("Đã mở kịch bản “{name}” từ tệp {file}", "Loaded scenario “{name}” from the file {file}"),
    "upload_too_big": ("tệp lớn hơn {limit} KB", "the file is larger than {limit} KB"),
    "file_name": ("tên tệp", "file name"),
    "value_box": ("Gõ giá trị (%), ví dụ 45,5", "Type a value (%), e.g. 45.5"),
    "bad_value": (
        "{lever}: không dùng được “{text}”; cho phép: một số phần trăm từ {lo} đến {hi} "
        "(dấu thập phân là dấu phẩy hoặc dấu chấm, ví dụ 45,5). Giữ nguyên {value}%.",
        "{lever}: “{text}” cannot be used; allowed: a percentage from {lo} to {hi} "
        "(decimal comma or point, e.g. 45.5). Kept at {value}%.",
    ),
    "source": ("Nguồn", "Source"),
    "others_partial": (
        "{share}% các địa phương khác làm theo, từ năm {year}",
        "{share}% of the other units copy it, from {year}",
    ),
    "not_a_file_name": (
        "chỉ một tên tệp .yaml trong thư mục {folder} (không có đường dẫn, không có “..”, không có ký tự điều khiển)",
        "a .yaml file name only, inside the folder {folder} (no path, no “..”, no control characters)",
    ),
    "status_stated": ("số liệu công bố", "published figure"),
    "status_derived": ("tính từ số liệu công bố", "derived from published figures"),
    "status_assumption": ("giả định", "assumption"),
}


# planner: the league table, why the rank moves, the leader's one-pager, the Excel export
PLANNER: dict[str, tuple[str, str]] = {  # key: (vi, en)
    # plain words for probabilities and rank changes
    "futures": (
        "trong {k} trên {n} tương lai mô phỏng (sai số Monte-Carlo ±{margin} điểm %)",
        "in {k} of {n} simulated futures (Monte-Carlo margin ±{margin} points)",
    ),
    "futures_short": ("{k}/{n} tương lai mô phỏng", "{k} of {n} simulated futures"),
    "places_gained": (
        "Số bậc {index} tăng thêm so với kịch bản gốc (dương = lên hạng)",
        "{index} places gained over the baseline (positive = up)",
    ),
    "rank_up": ("tăng {n} bậc", "up {n} places"),
    "rank_up_one": ("tăng 1 bậc", "up 1 place"),
    "rank_down": ("giảm {n} bậc", "down {n} places"),
    "rank_down_one": ("giảm 1 bậc", "down 1 place"),
    "rank_same": ("giữ nguyên thứ hạng", "no change in rank"),
    "effects_assumed": (
        "Mức tác động của các đòn bẩy là giả định (chưa có nghiên cứu nhân quả), được hiệu chỉnh "
        "theo diễn biến 2023–24 của Hà Nội; xem bảng giả định.",
        "The levers' effect sizes are assumptions (no causal study exists), calibrated to Hà Nội's "
        "2023–24 path; see the assumptions table.",
    ),
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
    "proxy_note": (
        "Cột “chỉ số tham khảo” là chỉ số khác đã công bố (nguồn: data/covariates.csv), không phải kết quả "
        "PAR hay SIPAS; đơn vị sáp nhập năm 2025 lấy trung bình các tỉnh cũ.",
        "“Proxy” columns are other published indices (source: data/covariates.csv), not PAR or SIPAS "
        "results; a unit merged in 2025 takes the mean of its former provinces.",
    ),
    "league_note": (
        "{unit} theo kịch bản; mọi địa phương khác theo xu hướng chung của cả nước: mức đòn bẩy hiện tại "
        "của họ là giả định chung (không có số liệu riêng từng tỉnh), cộng giả định về việc họ miễn phí "
        "trực tuyến. Các chỉ số công bố khác (như trụ cột chính quyền số của DTI, nội dung quản trị điện "
        "tử của PAPI) chỉ là chỉ số tham khảo, không phải kết quả PAR hay SIPAS. Thứ hạng được xếp lại "
        "trong từng lần mô phỏng trên cùng bộ số ngẫu nhiên ({draws} lần).",
        "{unit} follows the scenario; every other unit follows the national field model: their current "
        "lever values are generic assumptions (no unit-by-unit data), plus the assumption about who "
        "copies the zero online fee. Other published indices (DTI's digital-government pillar, PAPI's "
        "e-governance dimension) are shown as labelled proxies only, not as PAR or SIPAS results. Ranks "
        "are taken in every draw over the same random numbers ({draws} draws).",
    ),
    "league_note_past": (
        "Năm đã công bố: điểm và thứ hạng chưa công bố được ước tính lại từ những gì đã biết (thứ hạng, "
        "trung bình, cao nhất, thấp nhất, số địa phương nhóm A); khoảng 5–95% là độ bất định của việc "
        "ước tính lại ({draws} lần mô phỏng). Các đòn bẩy không tác động tới năm đã qua.",
        "A published year: scores and ranks not published are reconstructed from what is known (ranks, "
        "the average, maximum, minimum, group-A count); the 5–95% band is the reconstruction's "
        "uncertainty ({draws} draws). Levers do not act on past years.",
    ),
    "matrix_title": (
        "Xác suất mỗi địa phương ở từng thứ hạng, {index} năm {year}",
        "Chance of each unit holding each rank, {index} {year}",
    ),
    "matrix_colour": ("Tỷ lệ số lần mô phỏng", "Share of simulation draws"),
    # why the rank moves
    "part_start": ("{year}", "{year}"),
    "part_merger": ("Sáp nhập 2025, thay đổi phương pháp", "2025 merger, method change"),
    "part_trend": ("Xu hướng sẵn có", "Own business-as-usual trend"),
    "part_others": ("Các địa phương khác", "Other units' movement"),
    "part_levers": ("Đòn bẩy của kịch bản", "Your levers"),
    "part_end": ("{year}", "{year}"),
    "waterfall_title": (
        "Vì sao điểm và thứ hạng {index} của {unit} thay đổi, {start} → {end}",
        "Why {unit}'s {index} score and rank move, {start} → {end}",
    ),
    "waterfall_score": ("Điểm {index} (trung vị)", "{index} score (median)"),
    "waterfall_rank": ("Thứ hạng {index} (trung vị; 1 = cao nhất)", "{index} rank (median; 1 = best)"),
    "why_sentence": (
        "Các đòn bẩy của kịch bản thêm {levers} điểm; xu hướng sẵn có của {unit} thêm {trend} điểm; "
        "{others}, nên thứ hạng trung vị đi từ {start_rank} đến {end_rank} ({change}).",
        "Your levers add {levers} points; {unit}'s own business-as-usual trend adds {trend}; {others}, "
        "so the median rank goes from {start_rank} to {end_rank} ({change}).",
    ),
    "others_rise": ("các địa phương khác tăng trung bình {x} điểm", "the other units rise by {x} on average"),
    "others_score_note": (
        "Điểm của {unit} không phụ thuộc các địa phương khác; {others}, điều đó chỉ làm đổi thứ hạng.",
        "{unit}'s own score does not depend on the other units; {others}, which moves only the rank.",
    ),
    "others_fall": ("các địa phương khác giảm trung bình {x} điểm", "the other units fall by {x} on average"),
    "why_merger": (
        "Riêng việc sáp nhập còn 34 đơn vị năm 2025: {change}.",
        "The 2025 merger into 34 units alone: {change}.",
    ),
    "why_method": (
        "Bộ tiêu chí PAR mới năm 2025 (QĐ 1187/QĐ-BNV) chưa được công bố chi tiết, nên mô hình không "
        "lượng hóa tác động của thay đổi phương pháp.",
        "The 2025 PAR criteria (QĐ 1187/QĐ-BNV) are not published in detail, so the model does not "
        "quantify a method change.",
    ),
    "why_order": (
        "Các phần được tính lần lượt trên cùng các lần mô phỏng (sáp nhập → xu hướng sẵn có → các địa "
        "phương khác → đòn bẩy) và cộng lại đúng bằng thay đổi tổng của trung vị; chia theo từng đòn bẩy "
        "bằng giá trị Shapley (trung bình trên mọi thứ tự thêm đòn bẩy).",
        "The parts are taken in turn on the same draws (merger → own trend → other units → levers) and add "
        "up to the change of the median; the split by lever is a Shapley value (the average over every "
        "order of adding the levers).",
    ),
    "lever_part": ("Đòn bẩy", "Lever"),
    "score_change": ("Thay đổi điểm (trung vị)", "Score change (median)"),
    "rank_change": ("Thay đổi thứ hạng (trung vị)", "Rank change (median)"),
    "part": ("Phần", "Part"),
    "total": ("Tổng", "Total"),
    # the leader's one-pager
    "onepager_title": (
        "{unit}: kịch bản “{name}” — tóm tắt cho lãnh đạo",
        "{unit}: scenario “{name}” — one page for leaders",
    ),
    "big_top3": ("Khả năng PAR trong top 3 năm {year}", "Chance of PAR top 3 in {year}"),
    "big_sipas": ("Khả năng SIPAS ≥ 86% năm {year}", "Chance of SIPAS ≥ 86% in {year}"),
    "big_rank": ("Thứ hạng PAR trung vị năm {year}", "Median PAR rank in {year}"),
    "big_cost": ("Phí, lệ phí miễn giảm năm {year}", "Fees forgone in {year}"),
    "today_to_scenario": ("giữ nguyên chính sách → kịch bản", "today's policies → scenario"),
    "cost_line": (
        "{cost}; giữ nguyên chính sách: {base}.",
        "{cost}; with today's policies: {base}.",
    ),
    "memo_title": ("Tóm tắt trong một đoạn", "In one paragraph"),
    "track_record": ("Độ chính xác của mô hình", "How good the model has been"),
    "backtest_line": (
        "Dự báo lại năm {year} từ số liệu trước đó ({index}): sai số tuyệt đối trung vị {model} điểm, "
        "so với {naive} điểm của dự báo đơn giản (năm trước cộng xu hướng chung) — {verdict}.",
        "Re-forecasting {year} from earlier data ({index}): median absolute error {model} points against "
        "{naive} for the naive forecast (last year plus the national trend) — {verdict}.",
    ),
    "beats": ("mô hình tốt hơn", "the model does better"),
    "not_beats": ("mô hình không tốt hơn", "the model does not do better"),
    "assumed": ("Giả định", "What is assumed"),
    "assumed_levers": ("Đòn bẩy đến năm {year}: {levers}.", "Levers by {year}: {levers}."),
    "assumed_field": ("{field} Thứ hạng trong 34 đơn vị từ năm 2025.", "{field} Ranks among 34 units from 2025."),
    "made_with": (
        "{draws} lần mô phỏng, số khởi tạo ngẫu nhiên {seed}; lập ngày {date}.",
        "{draws} draws, seed {seed}; made on {date}.",
    ),
    "untitled": ("Các thiết lập đã chọn trên bảng điều khiển", "The settings chosen in the panel"),
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
    "goal_reachable": (
        "Đạt được top {rank} PAR năm {year} {futures}, với mức đòn bẩy ít tốn công nhất dưới đây.",
        "PAR top {rank} in {year} is reached {futures}, with the least-effort lever mix below.",
    ),
    "goal_already": (
        "Đã đạt với thiết lập hiện tại: top {rank} PAR năm {year} xảy ra {futures}.",
        "Already reached with today's settings: PAR top {rank} in {year} happens {futures}.",
    ),
    "goal_out_of_reach": (
        "Ngoài tầm với, vì: kể cả khi mọi đòn bẩy ở mức tối đa, top {rank} PAR năm {year} chỉ xảy ra "
        "{futures}, dưới mức {prob} cần đạt.",
        "Out of reach, because even with every lever at its maximum PAR top {rank} in {year} happens "
        "only {futures}, below the {prob} required.",
    ),
    "goal_fees": (
        "Phí, lệ phí miễn giảm năm {year}: {cost}.",
        "Fees forgone in {year}: {cost}.",
    ),
    "goal_apply": ("Áp dụng mức này vào các thanh trượt", "Apply this mix to the sliders"),
    "today_col": ("Hiện tại", "Today"),
    "needed_col": ("Cần đạt", "Needed"),
    "context_title": (
        "Bối cảnh từng đòn bẩy (tại thiết lập hiện tại, năm {year})",
        "Each lever in context (at the current settings, {year})",
    ),
    "setting_col": ("Thiết lập", "Setting"),
    "gain_col": ("Thêm 10 điểm % đòn bẩy thì", "10 more points of the lever give"),
    "gain_text": (
        "PAR {par} điểm; top 3: {p3} điểm %; thứ hạng trung vị: {rank}",
        "PAR {par} points; top 3: {p3} points; median rank: {rank}",
    ),
    "at_max": ("đã ở mức tối đa", "already at its maximum"),
    "cost_col": ("Chi phí", "Cost"),
    "cost_fees": ("phí, lệ phí miễn giảm {cost}", "fees forgone {cost}"),
    "cost_unknown": ("chi phí triển khai: chưa có số liệu", "implementation cost: unknown (no data)"),
    "reset_today": ("Về mức hiện tại", "Reset to today"),
    "downloads": ("Tải về", "Downloads"),
    "preparing": ("Đang chuẩn bị…", "Preparing…"),
    "ready_download": ("Sẵn sàng: {link}", "Ready: {link}"),
    "download_failed": ("Không tạo được tệp: {error}", "Could not make the file: {error}"),
    # the Excel export
    "statistic": ("Thống kê", "Statistic"),
    "estimate": ("Ước lượng", "Estimate"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "in_words": ("Diễn giải", "In words"),
    "sheet_key": ("Số liệu chính", "Key figures"),
    "sheet_yearly": ("Kết quả theo năm", "Yearly results"),
    "sheet_league": ("Bảng xếp hạng", "League table"),
    "sheet_assumptions": ("Giả định", "Assumptions"),
}
