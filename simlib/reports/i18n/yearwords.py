"""The words of each year's new results: adding a table (``results``), frozen forecasts and their
scores (``forecast``), the "what's new" report (``whatsnew``); and what the engine says is allowed
for a table or a label, in Vietnamese (``ALLOWED_VI_YEAR``, joined to ``inputs.ALLOWED_VI``)."""

from __future__ import annotations

RESULTS: dict[str, tuple[str, str]] = {
    "added": (
        "Đã thêm {what}: {n} trên {total} đơn vị ({kind}), nguồn: «{source}», tệp {file} (sha256 {sha}).",
        "Added {what}: {n} of {total} units ({kind}), source: “{source}”, file {file} (sha256 {sha}).",
    ),
    "replaced": (
        "Đã thay {what} bằng bảng mới: {n} trên {total} đơn vị ({kind}), nguồn: «{source}», tệp {file} (sha256 {sha}). "
        "Bản trước (thêm ngày {date}) được giữ tại {kept}.",
        "Replaced {what}: {n} of {total} units ({kind}), source: “{source}”, file {file} (sha256 {sha}). The previous "
        "version (added on {date}) is kept at {kept}.",
    ),
    "unchanged": (
        "{what} đã được thêm từ chính tệp này ngày {date} (sha256 giống hệt): không có gì thay đổi.",
        "{what} was added from this very file on {date} (same sha256): nothing changed.",
    ),
    "kind_complete": ("bảng đầy đủ", "whole table"),
    "kind_partial": ("một phần; các đơn vị còn lại được ước tính lại", "partial: the other units are reconstructed"),
    "stored": (
        "Lưu tại: {path} (thư mục dữ liệu người dùng; thư mục data/ của phần mềm không bị sửa).",
        "Stored in: {path} (the user data folder; the shipped data/ is not modified).",
    ),
    "ties": ("{n} thứ hạng có đồng hạng.", "{n} rank(s) shared by a tie."),
    "average": ("Trung bình cả nước: {avg}{how}.", "National average: {avg}{how}."),
    "average_stated": (" (theo bảng)", " (as the table gives it)"),
    "average_derived": (" (trung bình các điểm của bảng)", " (the mean of the table's scores)"),
    "baseline_now": (
        "Năm mới nhất có kết quả của cả hai chỉ số: {year}. Bảng xếp hạng, dự báo, bảng điều khiển và báo cáo từ nay "
        "bắt đầu từ số liệu năm {year}.",
        "Newest year published for both indices: {year}. The league table, projections, the panel and the reports now "
        "start from {year}.",
    ),
    "baseline_waits": (
        "Dự báo vẫn bắt đầu từ năm {base} cho đến khi có kết quả {other} năm {year} (hai chỉ số dùng chung một năm gốc).",
        "Projections still start from {base} until the {other} {year} results are added too (both indices share one baseline year).",
    ),
    "not_reconstructable": (
        "Chưa đủ điểm số để dựng lại cả bảng {what} ({n} điểm; cần ít nhất {need}): năm này chưa dùng được làm năm gốc.",
        "Too few scores to reconstruct the whole {what} field ({n}; at least {need} needed): the year cannot be a baseline yet.",
    ),
    "conflicts_kept": (
        "{n} số liệu khác với số liệu có sẵn của phần mềm; dùng bảng vừa thêm (--override-shipped). Danh sách: simlib results list.",
        "{n} figure(s) differ from the shipped data; the added table is used (--override-shipped). The list: simlib results list.",
    ),
    "track_record": (
        "Đã cập nhật kết quả đánh giá mô hình với dữ liệu mới ({cases} trường hợp dự báo năm {year} từ 1–3 năm trước): {path}",
        "Refreshed the model's track record with the new data ({cases} forecasts of {year}, made 1–3 years ahead): {path}",
    ),
    "track_record_failed": (
        "Chưa cập nhật được kết quả đánh giá mô hình ({error}); chạy lại lệnh này sau.",
        "Could not refresh the model's track record ({error}); run this command again later.",
    ),
    "next": ("Tiếp theo:", "Next:"),
    "next_league": (
        "  bảng xếp hạng {year}:  simlib league --year {year} --lang vi",
        "  the {year} league table:  simlib league --year {year} --lang en",
    ),
    "next_project": (
        "  dự báo từ {year}:  simlib league --year {target} --lang vi",
        "  projections from {year}:  simlib league --year {target} --lang en",
    ),
    "next_score": (
        "  chấm dự báo đã đóng băng:  simlib forecast score --label {label}",
        "  score a frozen forecast:  simlib forecast score --label {label} --lang en",
    ),
    "next_whatsnew": (
        "  báo cáo «Có gì mới»:  simlib results whats-new --out {out}",
        "  the “what's new” report:  simlib results whats-new --out {out} --lang en",
    ),
    "note_sheet": ("Đọc trang tính «{sheet}» (trong {n} trang).", "Read sheet “{sheet}” (of {n})."),
    "note_title_rows": (
        "Bỏ qua {n} dòng tiêu đề phía trên dòng tên cột (dòng {row}).",
        "Skipped {n} title row(s) above the header (row {row}).",
    ),
    "note_column": ("Cột {role}: «{used}» (không dùng: {others}).", "Column {role}: “{used}” (not used: {others})."),
    "note_average": (
        "Dòng {row} («{name}») là trung bình cả nước: {value}.",
        "Row {row} (“{name}”) is the national average: {value}.",
    ),
    "note_skipped": (
        "Bỏ qua dòng {row} («{name}»): không phải một đơn vị.",
        "Skipped row {row} (“{name}”): not a unit.",
    ),
    "note_partial": (
        "Bảng một phần: {n} trên {total} đơn vị; các đơn vị còn lại được ước tính lại.",
        "Partial table: {n} of {total} units; the others are reconstructed.",
    ),
    "role_unit": ("đơn vị", "unit"),
    "role_score": ("điểm", "score"),
    "role_rank": ("xếp hạng", "rank"),
    # simlib results list
    "col_index": ("chỉ số", "index"),
    "col_year": ("năm", "year"),
    "col_status": ("tình trạng", "status"),
    "col_published": ("đơn vị công bố", "units published"),
    "col_units": ("số đơn vị", "units"),
    "col_baseline": ("năm gốc được", "can be a baseline"),
    "col_origin": ("nguồn gốc", "from"),
    "col_source": ("nguồn", "source"),
    "col_conflicts": ("khác số liệu có sẵn", "conflicts"),
    "status_published": ("công bố đầy đủ", "published"),
    "status_partial": ("công bố một phần, phần còn lại ước tính lại", "partial, the rest reconstructed"),
    "status_reconstructed": ("ước tính lại", "reconstructed"),
    "origin_shipped": ("có sẵn ({n} nguồn)", "shipped ({n} sources)"),
    "origin_added": ("thêm ngày {date} từ {file}", "added on {date} from {file}"),
    "origin_both": ("có sẵn + thêm ngày {date} từ {file}", "shipped + added on {date} from {file}"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "list_folder": ("Thư mục dữ liệu người dùng: {path}", "User data folder: {path}"),
    "list_none_added": (
        "Chưa thêm bảng kết quả nào (simlib results add).",
        "No results added yet (simlib results add).",
    ),
    "list_latest": (
        "Năm gốc của dự báo (mới nhất có cả hai chỉ số): {year}.",
        "Baseline of projections (newest year with both indices): {year}.",
    ),
    "list_conflict": ("Khác số liệu có sẵn: {text}", "Conflict with the shipped data: {text}"),
    "data_latest": ("Số liệu công bố mới nhất: năm {year}.", "Latest published results: {year}."),
    "data_added": (
        "{what}: dữ liệu bổ sung ngày {date} từ «{source}».",
        "{what}: data added on {date} from “{source}”.",
    ),
    "error_head": ("{n} lỗi trong {context} (không ghi gì):", "{n} problem(s) in {context} (nothing was written):"),
    "error_more": ("… và {n} lỗi khác", "… and {n} more"),
}

FORECAST: dict[str, tuple[str, str]] = {
    "frozen": (
        "Đã đóng băng dự báo «{label}»: {units} đơn vị × {years} ({first}–{last}) × PAR và SIPAS, từ số liệu đến năm {base}, "
        "{draws} lần mô phỏng, số khởi tạo {seed}, dấu vân tay dữ liệu {fingerprint}, simlib {version}.",
        "Froze the forecast “{label}”: {units} units × {years} years ({first}–{last}) × PAR and SIPAS, from data up to {base}, "
        "{draws} draws, seed {seed}, data fingerprint {fingerprint}, simlib {version}.",
    ),
    "focal_line": (
        "{unit} năm {year}: PAR thứ {rank} (khoảng 5–95%: {lo}–{hi} trên {n}), xác suất vào top 3: {p3}.",
        "{unit} in {year}: {rank} in the PAR Index (5–95% band {lo}–{hi} of {n}), chance of the top 3: {p3}.",
    ),
    "stored": ("Lưu tại: {path}", "Stored in: {path}"),
    "none": (
        "Chưa có dự báo nào được đóng băng (simlib forecast freeze --label TÊN).",
        "No frozen forecast yet (simlib forecast freeze --label NAME).",
    ),
    "col_label": ("nhãn", "label"),
    "col_frozen_at": ("ngày đóng băng", "frozen on"),
    "col_baseline": ("số liệu đến", "data up to"),
    "col_years": ("các năm dự báo", "years forecast"),
    "col_focal": ("đơn vị", "focal unit"),
    "col_scenario": ("kịch bản", "scenario"),
    "col_draws": ("số lần mô phỏng", "draws"),
    "col_published": ("năm đã công bố", "years now published"),
    "col_fingerprint": ("dấu vân tay dữ liệu", "data fingerprint"),
    "nothing_published": (
        "Chưa năm nào của dự báo «{label}» ({years}) có kết quả công bố: chưa chấm được.",
        "No year of the forecast “{label}” ({years}) is published yet: nothing to score.",
    ),
    "verdict_focal": (
        "Dự báo «{label}» đóng băng ngày {date} (số liệu đến năm {base}) xếp {unit} thứ {rank} ({lo}–{hi}) về {index} năm {year}; "
        "kết quả công bố: thứ {actual}, {where}.",
        "Our frozen forecast “{label}” of {date} (data up to {base}) put {unit} {rank} ({lo}–{hi}) in the {year} {index}; "
        "the result was {actual}: {where}.",
    ),
    "verdict_focal_missing": (
        "{unit} không có trong kết quả {index} năm {year} đã công bố.",
        "{unit} is not in the published {year} {index} results.",
    ),
    "hindcast": (
        "Lưu ý: dự báo này được đóng băng khi kết quả {index} năm {year} đã có trong dữ liệu, nên chỉ là kiểm tra lại, không phải dự báo.",
        "Note: this was frozen when the {year} {index} results were already in the data: a check after the fact, not a forecast.",
    ),
    "inside": ("trong khoảng dự báo", "inside the band"),
    "outside_better": ("tốt hơn khoảng dự báo", "better than the band"),
    "outside_worse": ("kém hơn khoảng dự báo", "worse than the band"),
    "verdict_field": (
        "Trên {n} đơn vị: khoảng 90% chứa điểm thật của {k} đơn vị ({share}) và thứ hạng thật của {kr} ({share_r}); "
        "thứ hạng dự báo lệch trung bình {mae} bậc, giữ nguyên thứ hạng năm gốc thì lệch {pmae} bậc.",
        "Over {n} units: the 90% band held {k} published scores ({share}) and {kr} ranks ({share_r}); the forecast rank "
        "was off by {mae} places on average, keeping the baseline rank by {pmae}.",
    ),
    "verdict_crps": (
        "Sai số xác suất (CRPS, điểm; càng thấp càng tốt): mô hình {model}, dự báo đơn giản (điểm năm gốc + xu hướng) {naive}: {verdict}.",
        "Probabilistic error (CRPS, points; lower is better): model {model}, naive forecast (baseline score + trend) {naive}: {verdict}.",
    ),
    "beats": ("mô hình tốt hơn dự báo đơn giản", "the model beats the naive forecast"),
    "not_beats": ("mô hình KHÔNG tốt hơn dự báo đơn giản", "the model does NOT beat the naive forecast"),
    "verdict_brier": (
        "Điểm Brier của xác suất vào top 3 (càng thấp càng tốt): mô hình {model}, dự báo đơn giản {naive}, giữ nguyên thứ hạng {persistence}.",
        "Brier score of the chance of the top 3 (lower is better): model {model}, naive {naive}, persistence {persistence}.",
    ),
    "few_cases": (
        "Chỉ có {n} đơn vị công bố: các con số này dao động nhiều, chưa đủ để kết luận.",
        "Only {n} units published: these figures move a lot, too few to conclude.",
    ),
    "method_model": ("mô hình", "model"),
    "method_naive": ("dự báo đơn giản", "naive"),
    "method_persistence": ("giữ nguyên thứ hạng", "persistence"),
}

WHATSNEW: dict[str, tuple[str, str]] = {
    "title": ("Có gì mới: kết quả năm {year}", "What's new: the {year} results"),
    "subtitle": (
        "{unit} · số liệu công bố đến năm {year} · lập ngày {date}",
        "{unit} · published data up to {year} · made on {date}",
    ),
    "added_heading": ("Số liệu mới", "The new data"),
    "added_line": (
        "{index} {year}: {n} trên {total} đơn vị ({kind}), thêm ngày {date} từ tệp {file}; nguồn: {source}.",
        "{index} {year}: {n} of {total} units ({kind}), added on {date} from {file}; source: {source}.",
    ),
    "no_added": (
        "Chưa thêm kết quả năm mới nào: báo cáo dùng số liệu có sẵn đến năm {year}. Thêm bằng: simlib results add.",
        "No new year's results added: the report uses the shipped data up to {year}. Add them with: simlib results add.",
    ),
    "stands_heading": ("{unit} đang ở đâu", "Where {unit} stands"),
    "stands_line": (
        "{index} năm {year}: thứ {rank} trên {n}, {score}{unit_word}.",
        "{index} {year}: {rank} of {n}, {score}{unit_word}.",
    ),
    "stands_missing": (
        "{index} năm {year}: {unit} không có trong bảng đã công bố.",
        "{index} {year}: {unit} is not in the published table.",
    ),
    "points": (" điểm", " points"),
    "percent": ("% hài lòng", "% satisfied"),
    "forecast_heading": ("Dự báo đã đóng băng và kết quả", "The frozen forecast against the result"),
    "no_forecast": (
        "Không có dự báo nào đã đóng băng cho năm {year} (simlib forecast freeze, trước khi có kết quả): chưa so được.",
        "No forecast frozen for {year} (simlib forecast freeze, before the results): nothing to set against them.",
    ),
    "movers_heading": ("Ai thay đổi nhiều nhất so với dự báo", "Who moved most against the forecast"),
    "movers_up": ("Tốt hơn dự báo nhiều nhất: {items}.", "Most above the forecast: {items}."),
    "movers_down": ("Kém hơn dự báo nhiều nhất: {items}.", "Most below the forecast: {items}."),
    "mover_item": ("{unit} (dự báo thứ {forecast}, đạt thứ {actual})", "{unit} (forecast {forecast}, result {actual})"),
    "league_heading": (
        "Bảng {index} năm {year}: kết quả công bố và dự báo",
        "{index} {year}: published results and the forecast",
    ),
    "figure_title": (
        "{index} {year}: thứ hạng công bố (chấm) và khoảng dự báo 5–95% (vạch)",
        "{index} {year}: published rank (dot) and the forecast's 5–95% band (bar)",
    ),
    "figure_x": ("thứ hạng (1 = tốt nhất)", "rank (1 = best)"),
    "scores_heading": ("Dự báo đã làm tốt đến đâu", "How well the forecast did"),
    "ahead_heading": ("Từ số liệu mới: dự báo năm {year}", "From the new data: the {year} projection"),
    "ahead_line": (
        "{unit}, PAR năm {year}: thứ {rank} (5–95%: {lo}–{hi} trên {n}); xác suất vào top 3: {p3}. SIPAS: {sipas}% ({slo}–{shi}).",
        "{unit}, PAR {year}: rank {rank} (5–95%: {lo}–{hi} of {n}); chance of the top 3: {p3}. SIPAS: {sipas}% ({slo}–{shi}).",
    ),
    "col_unit": ("đơn vị", "unit"),
    "col_published_score": ("điểm công bố", "published score"),
    "col_published_rank": ("hạng công bố", "published rank"),
    "col_forecast_rank": ("hạng dự báo (5–95%)", "forecast rank (5–95%)"),
    "col_forecast_score": ("điểm dự báo (5–95%)", "forecast score (5–95%)"),
    "col_move": ("so với dự báo (bậc)", "against the forecast (places)"),
    "col_p_top3": ("xác suất top 3 (dự báo)", "P(top 3), forecast"),
    "col_method": ("phương pháp", "method"),
    "col_n": ("số đơn vị", "units"),
    "col_crps": ("CRPS (điểm)", "CRPS (points)"),
    "col_coverage": ("khoảng 90% chứa điểm", "90% band held the score"),
    "col_rank_mae": ("sai số thứ hạng (bậc)", "rank error (places)"),
    "col_rank_coverage": ("khoảng 90% chứa thứ hạng", "90% band held the rank"),
    "col_brier": ("Brier top 3", "Brier, top 3"),
    "onepager_title": ("Có gì mới — kết quả năm {year}", "What's new — the {year} results"),
    "big_rank": ("{index} năm {year}: thứ hạng", "{index} {year}: rank"),
    "big_forecast": ("dự báo: {rank} ({lo}–{hi})", "forecast: {rank} ({lo}–{hi})"),
    "big_no_forecast": ("không có dự báo đóng băng", "no frozen forecast"),
    "footer_added": (
        "Kết quả công bố: bảng do người dùng thêm (nguồn ghi ở trên).",
        "Published results: the table the user added (source above).",
    ),
    "footer": (
        "Dự báo: simlib, đóng băng trước khi có kết quả; khoảng 5–95% là khoảng mô hình cho là chứa kết quả 9 lần trong 10.",
        "Forecast: simlib, frozen before the results; the 5–95% band is where the model put the result 9 times in 10.",
    ),
}

# What the engine says is allowed (English) → Vietnamese; tried before the general patterns of ``inputs``.
ALLOWED_VI_YEAR: tuple[tuple[str, str], ...] = (
    (r"an existing CSV or XLSX file", "một tệp CSV hoặc XLSX có thật"),
    (
        r"a table of at most (?P<n>[\d,]+) bytes \(34 or 63 rows are a few kB\)",
        "một bảng tối đa {n} byte (34 hay 63 dòng chỉ vài kB)",
    ),
    (r"a header row and one row per unit", "một dòng tên cột và mỗi đơn vị một dòng"),
    (r"an XLSX workbook \(Excel: Save As → \.xlsx\) or a CSV file", "một tệp XLSX (Excel: Lưu thành → .xlsx) hoặc CSV"),
    (
        r"a CSV saved as UTF-8 \(Excel: “CSV UTF-8”\) or an XLSX workbook",
        "một tệp CSV mã UTF-8 (Excel: «CSV UTF-8») hoặc một tệp XLSX",
    ),
    (r"a CSV text file or an XLSX workbook", "một tệp CSV (văn bản) hoặc XLSX"),
    (r"a CSV table", "một bảng CSV"),
    (r"an XLSX workbook or a CSV file", "một tệp XLSX hoặc CSV"),
    (r"an XLSX workbook saved by Excel or LibreOffice", "một tệp XLSX lưu bằng Excel hoặc LibreOffice"),
    (r"an XLSX workbook", "một tệp XLSX"),
    (r"at most (?P<n>[\d,]+) bytes", "tối đa {n} byte"),
    (r"at most (?P<n>[\d,]+) rows and (?P<m>\d+) columns", "tối đa {n} dòng và {m} cột"),
    (r"a table of at most (?P<n>[\d,]+) rows", "một bảng tối đa {n} dòng"),
    (
        r"a header row naming the unit, score and rank columns.*",
        "một dòng tên cột có cột đơn vị, điểm và xếp hạng, ví dụ unit,score,rank hoặc Tỉnh/thành phố,Điểm,Xếp hạng "
        "(các dòng tiêu đề phía trên không sao)",
    ),
    (r"a column named score .*", "một cột điểm (score, Điểm, Chỉ số, Tổng điểm …)"),
    (r"a column named rank .*", "một cột xếp hạng (rank, Xếp hạng, Thứ hạng …)"),
    (
        r"one (?P<role>\w+) column \(these headers are the same; rename or remove all but one\)",
        "chỉ một cột {role} (các cột này trùng tên; đổi tên hoặc bỏ bớt)",
    ),
    (r"a unit name", "tên một đơn vị"),
    (
        r"one of the 34 units ranked from 2025: that province was merged into (?P<unit>.+) on 1/7/2025",
        "một trong 34 đơn vị được xếp hạng từ năm 2025: tỉnh này đã hợp nhất vào {unit} từ ngày 1/7/2025",
    ),
    (
        r"one of the 34 units ranked from 2025; nearest: (?P<items>.*)",
        "một trong 34 đơn vị được xếp hạng từ năm 2025; gần nhất: {items}",
    ),
    (
        r"one of the 63 provinces ranked to 2024; nearest: (?P<items>.*)",
        "một trong 63 tỉnh được xếp hạng đến năm 2024; gần nhất: {items}",
    ),
    (r"one of the 34 units ranked from 2025 .*", "một trong 34 đơn vị được xếp hạng từ năm 2025"),
    (r"one of the 63 provinces ranked to 2024 .*", "một trong 63 tỉnh được xếp hạng đến năm 2024"),
    (r"each unit once: (?P<unit>.+) is also on row (?P<row>\d+)", "mỗi đơn vị một lần: {unit} đã có ở dòng {row}"),
    (
        r"a score from (?P<lo>\d+) to 100 \(PAR in points of 100, SIPAS in %\)",
        "một điểm từ {lo} đến 100 (PAR tính trên thang 100 điểm, SIPAS tính bằng %)",
    ),
    (
        r"a number such as 92\.57 or 92,57 .*date.*",
        "một số như 92,57 hoặc 92.57; bảng tính đã biến số này thành ngày tháng: hãy định dạng cột là số",
    ),
    (
        r"a number such as 92\.57 or 92,57 .*",
        "một số như 92,57 hoặc 92.57 (một dấu thập phân, không có dấu phân cách hàng nghìn; được có dấu %)",
    ),
    (r"a score \(every unit of a whole table has one\)", "một điểm số (mọi đơn vị của bảng đầy đủ đều có)"),
    (r"a rank \(every unit of a whole table has one\)", "một thứ hạng (mọi đơn vị của bảng đầy đủ đều có)"),
    (
        r"a whole number from 1 to (?P<n>\d+) \(the (?P<year>\d+) field has \d+ units\)",
        "một số nguyên từ 1 đến {n} (năm {year} có {n} đơn vị được xếp hạng)",
    ),
    (r"a score or a rank for the unit", "một điểm số hoặc một thứ hạng cho đơn vị"),
    (
        r"one decimal mark throughout the column .*",
        "một kiểu dấu thập phân cho cả cột (lẫn lộn thường do dán dữ liệu bị lỗi)",
    ),
    (
        r"percentages \(e\.g\. 86\.5 or 86,5%\), not shares 0–1",
        "phần trăm (ví dụ 86,5 hoặc 86,5%), không phải tỷ lệ 0–1",
    ),
    (
        r"at most the (?P<n>\d+) units of the (?P<year>\d+) field \(a table from 2025 names the 34 units, not the 63 provinces\)",
        "tối đa {n} đơn vị của năm {year} (bảng từ năm 2025 gồm 34 đơn vị, không phải 63 tỉnh)",
    ),
    (r"at most the (?P<n>\d+) units of the (?P<year>\d+) field", "tối đa {n} đơn vị của năm {year}"),
    (
        r"the (?P<n>\d+) units of the (?P<year>\d+) field; missing: (?P<items>.*) \(if the announcement lists only some units, add it with --partial\)",
        "đủ {n} đơn vị của năm {year}; còn thiếu: {items} (nếu công bố chỉ nêu một số đơn vị, thêm với --partial)",
    ),
    (
        r"a rank worse than (?P<unit>.+)'s (?P<r>\d+) \(row (?P<row>\d+)\), which scores (?P<a>\S+) against (?P<b>\S+)",
        "thứ hạng kém hơn hạng {r} của {unit} (dòng {row}), vì điểm {a} cao hơn {b}",
    ),
    (
        r"a rank of its own, or the same score as the units it shares rank (?P<r>\d+) with \((?P<items>.*)\)",
        "một thứ hạng riêng, hoặc cùng điểm với các đơn vị đồng hạng {r} ({items})",
    ),
    (
        r"ranks that run from 1 to (?P<n>\d+), a tie sharing one rank and skipping the next \(5, 5, 7\)",
        "thứ hạng liên tục từ 1 đến {n}; các đơn vị đồng hạng chung một hạng và bỏ qua hạng kế tiếp (5, 5, 7)",
    ),
    (
        r"where the figures come from: .*",
        "nguồn của số liệu: một đoạn chữ không để trống, tối đa 300 ký tự, không có ký tự điều khiển",
    ),
    (
        r"a year not added yet: (?P<what>\S+ \d+) was added on (?P<date>\S+) from (?P<file>.+?) \(.*\); --replace replaces it \(the previous version is kept\)",
        "một năm chưa thêm: {what} đã được thêm ngày {date} từ tệp {file}; dùng --replace để thay (bản trước vẫn được giữ)",
    ),
    (
        r"the shipped published figure (?P<fig>.+?) \((?P<src>.*)\), or --override-shipped if the added table is right .*",
        "số liệu công bố có sẵn {fig} ({src}), hoặc --override-shipped nếu bảng vừa thêm là đúng (mỗi khác biệt sẽ được liệt kê)",
    ),
    (
        r"a label of 1–60 letters, digits.*",
        "một nhãn 1–60 ký tự gồm chữ, số, '.', '_' hoặc '-', bắt đầu bằng chữ hoặc số (ví dụ ke-hoach-2026)",
    ),
    (
        r"a label not used yet: (?P<label>\S+) was frozen on (?P<date>\S+) .*",
        "một nhãn chưa dùng: «{label}» đã được đóng băng ngày {date} (dự báo đã đóng băng không bao giờ bị ghi đè; hãy chọn nhãn khác)",
    ),
    (r"a frozen forecast: none yet .*", "một dự báo đã đóng băng: chưa có (simlib forecast freeze)"),
    (r"a frozen forecast: (?P<items>.*)", "một dự báo đã đóng băng: {items}"),
    (r"PAR or SIPAS", "PAR hoặc SIPAS"),
    (r"vi or en", "vi hoặc en"),
    (
        r"a text of printable characters .*",
        "một đoạn chữ in được (mã UTF-8, không có ký tự điều khiển hay đổi chiều chữ, không xuống dòng)",
    ),
    (r"a non-empty text of at most (?P<n>\d+) characters", "một đoạn chữ không để trống, tối đa {n} ký tự"),
    (r"a text of at most (?P<n>\d+) characters", "một đoạn chữ tối đa {n} ký tự"),
    (
        r"a folder no other simlib command is writing; .*",
        "một thư mục không có lệnh simlib nào khác đang ghi; hãy đợi lệnh kia xong",
    ),
    (r"a year whose results are published \(up to (?P<hi>\d+)\)", "một năm đã có kết quả công bố (đến năm {hi})"),
    (r"a year from (?P<lo>\d+) to (?P<hi>\d+)(?P<rest>.*)", "một năm từ {lo} đến {hi}{rest}"),
)

WHERE_VI: tuple[tuple[str, str], ...] = (
    (" sheet ", " trang tính "),
    (" row ", " dòng "),
    (" column ", " cột "),
    (" header", " dòng tên cột"),
)
