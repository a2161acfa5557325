"""What a reader of a batch's pages and files sees, in Vietnamese: no number with a decimal point anywhere
(the one formatter), and the fees forgone as one statistic, labelled, in every output of a scenario."""

from __future__ import annotations

import csv
import json
import re

import pytest
from support import ROOT, SCENARIOS, decimal_points, run_simlib, visible_html_text

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

DRAWS = 300


@pytest.fixture(scope="module")
def vi_batch(tmp_path_factory):
    """Two example scenarios rendered by the project's notebooks, in Vietnamese (the default)."""
    folder = tmp_path_factory.mktemp("vi_batch")
    sources = folder / "scenarios"
    sources.mkdir()
    for name in ("all_levers", "baseline"):
        (sources / f"{name}.yaml").write_text(
            (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    proc = run_simlib(["batch", sources, "--out", folder / "out", "--draws", DRAWS, "--workers", 2], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return folder / "out", proc


def test_no_page_or_workbook_of_a_vietnamese_batch_writes_a_decimal_point(vi_batch):
    out, _ = vi_batch  # (the command's own lines are in English: --lang is the reports' language)
    pages = sorted(out.rglob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "report.html", "onepager.html"}
    for page in pages:
        shown = visible_html_text(page.read_text(encoding="utf-8"))
        assert not decimal_points(shown), (page, decimal_points(shown)[:5])
    from openpyxl import load_workbook

    for book in sorted(out.rglob("results.xlsx")):
        wb = load_workbook(book, read_only=True)
        texts = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert texts and not decimal_points(" | ".join(texts)), (book, decimal_points(" | ".join(texts))[:5])


def test_the_fees_forgone_are_one_statistic_labelled_in_every_output(vi_batch):
    """One scenario, one seed: its report, one-pager, workbook, results.csv, summary.csv and index page
    give the same figure (the mean over the draws, analysis.fees), and every reader's copy says so."""
    out, _ = vi_batch
    from openpyxl import load_workbook

    from simlib.reports.text import num

    with open(out / "all_levers" / "results.csv", newline="", encoding="utf-8") as handle:
        tidy = list(csv.DictReader(handle))
    year = 2027
    row = next(r for r in tidy if r["metric"] == "fee_forgone_bn_vnd" and int(r["year"]) == year)
    mean = float(row["mean"])
    shown = num(mean, 1, "vi")  # as every page writes it
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        summary = {r["scenario"]: r for r in csv.DictReader(handle)}
    assert float(summary["all_levers"]["fee_forgone_bn_vnd"]) == pytest.approx(mean)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["summary_units"]["fee_forgone_bn_vnd"] == "Fees forgone, mean (bn VND per year)"

    report = visible_html_text((out / "all_levers" / "report.html").read_text(encoding="utf-8"))
    assert f"{shown} tỷ đồng/năm (trung bình; khoảng 5–95%:" in report  # the headline table and the summary
    onepager = visible_html_text((out / "all_levers" / "onepager.html").read_text(encoding="utf-8"))
    assert f"{shown} tỷ đồng/năm (trung bình; khoảng 5–95%:" in onepager
    index = visible_html_text((out / "index.html").read_text(encoding="utf-8"))
    assert "Phí, lệ phí miễn giảm, trung bình (tỷ đồng/năm)" in index and re.search(rf"\s{re.escape(shown)}\s", index)

    book = load_workbook(out / "all_levers" / "results.xlsx", read_only=True)
    key = [list(r) for r in book[book.sheetnames[0]].iter_rows(values_only=True)]
    fee = next(r for r in key if str(r[1]).startswith("Phí, lệ phí miễn giảm"))
    assert fee[3] == "Trung bình" and fee[5] == pytest.approx(mean)
    # no other statistic of the fee anywhere a reader looks: not its median
    median = num(float(row["p50"]), 1, "vi")
    if median != shown:
        for text in (report, onepager, index):
            assert f"{median} tỷ đồng/năm" not in text
