"""The yearly cycle a planner runs from the command line, on a 2025 table the test fabricates:
freeze → add → league shows it published → projections start from 2025 → score; bad tables exit 2
with every problem in Vietnamese and nothing written; data/ stays as shipped."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from newyear_support import fabricated, write_csv, write_xlsx

from simlib.cli.main import main
from simlib.engine import data, paths


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def git_status_data() -> str:
    root = paths.data_dir().parent
    return subprocess.run(
        ["git", "status", "--porcelain", "--", "data/"], cwd=root, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def few_track_record_draws(monkeypatch):
    """The track record refreshed after each add at 100 draws, not 1000: these tests check that it is
    refreshed with the added year's cases and said so, not how precise it is."""
    from simlib.analysis import harness

    monkeypatch.setattr(harness, "DEFAULT_DRAWS", 100)


@pytest.mark.slow
def test_the_whole_cycle_on_a_fabricated_2025_table(user_folder, tmp_path, capsys, few_track_record_draws):
    before = git_status_data()
    code, out, _ = run(capsys, "forecast", "freeze", "--label", "truoc-2025", "--draws", "200", "--lang", "en")
    assert code == 0 and "Froze the forecast “truoc-2025”" in out and "from data up to 2024" in out
    par = write_xlsx(tmp_path / "CCHC 2025.xlsx", fabricated(2025, "PAR"), title="KẾT QUẢ CHỈ SỐ CCHC NĂM 2025")
    code, out, _ = run(
        capsys, "results", "add", str(par), "--index", "PAR", "--year", "2025", "--source", "QĐ công bố (thử)"
    )
    assert code == 0 and "Đã thêm PAR 2025: 34 trên 34 đơn vị" in out
    assert "cho đến khi có kết quả SIPAS năm 2025" in out  # both indices share one baseline year
    assert "Đã cập nhật kết quả đánh giá mô hình" in out and (user_folder / "evaluation_summary.csv").is_file()
    sipas = write_csv(tmp_path / "sipas.csv", fabricated(2025, "SIPAS"))
    code, out, _ = run(
        capsys, "results", "add", str(sipas), "--index", "SIPAS", "--year", "2025", "--source", "SIPAS 2025 (thử)"
    )
    assert code == 0 and "từ nay bắt đầu từ số liệu năm 2025" in out

    code, out, _ = run(capsys, "league", "--year", "2025", "--format", "csv", "--draws", "50")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 34 and {r["status"] for r in rows} == {"published"}
    hn = next(r for r in rows if r["unit_slug"] == "ha-noi")
    name, score, rank = next(r for r in fabricated(2025, "PAR") if r[0] == "Hà Nội")
    assert float(hn["score_p50"]) == pytest.approx(score) and int(hn["rank_p50"]) == rank

    code, out, _ = run(capsys, "league", "--year", "2026", "--format", "csv", "--draws", "50")
    assert code == 0 and {r["status_year"] for r in csv.DictReader(io.StringIO(out))} == {"2025"}
    code, out, err = run(capsys, "league", "--year", "2024", "--format", "csv", "--draws", "50")
    assert code == 0  # a past year is still drawn from its reconstruction

    code, out, _ = run(capsys, "forecast", "list", "--format", "json")
    listed = json.loads(out)
    assert listed[0]["label"] == "truoc-2025" and listed[0]["published"] == "2025"
    code, out, err = run(capsys, "forecast", "score", "--label", "truoc-2025", "--format", "csv", "--lang", "en")
    scored = list(csv.DictReader(io.StringIO(out)))
    assert {(r["index"], r["year"], r["method"]) for r in scored} >= {
        ("PAR", "2025", "model"),
        ("SIPAS", "2025", "naive"),
    }
    assert "put Hà Nội" in err and "the result was" in err  # words on stderr, the CSV clean on stdout

    code, out, _ = run(capsys, "results", "list", "--format", "json", "--lang", "en")
    listed = {(r["index"], r["year"]): r for r in json.loads(out)}
    assert listed[("PAR", 2025)]["status"] == "published" and "added on" in listed[("PAR", 2025)]["origin"]
    assert listed[("PAR", 2025)]["source"] == "QĐ công bố (thử)"

    code, out, _ = run(capsys, "evaluate", "--index", "PAR", "--draws", "50", "--format", "csv")
    years = {(r["year"], r["method"]) for r in csv.DictReader(io.StringIO(out))}
    assert ("2025", "model") in years and ("2025", "naive") in years
    code, out, _ = run(capsys, "backtest", "--index", "PAR", "--year", "2025")
    assert code == 0 and "published scores compared: 34" in out

    code, out, _ = run(capsys, "results", "add", str(par), "--index", "PAR", "--year", "2025", "--source", "again")
    assert code == 0 and "không có gì thay đổi" in out  # the same file twice
    assert git_status_data() == before


def test_a_bad_table_exits_2_in_vietnamese_with_nothing_written(user_folder, tmp_path, capsys):
    rows = fabricated(2025, "PAR")
    rows[0] = ("Hà Nộii", rows[0][1], rows[0][2])
    rows[1] = (rows[1][0], 150.0, rows[1][2])
    code, out, err = run(
        capsys,
        "results",
        "add",
        str(write_csv(tmp_path / "t.csv", rows)),
        "--index",
        "PAR",
        "--year",
        "2025",
        "--source",
        "x",
    )
    assert code == 2 and out == ""
    assert "lỗi trong" in err and "dòng 2" in err and "gần nhất: Hà Nội" in err and "một điểm từ 40 đến 100" in err
    assert not (user_folder / "results").exists()


def test_bad_options_are_reported_together(user_folder, tmp_path, capsys):
    path = write_csv(tmp_path / "t.csv", fabricated(2025, "PAR"))
    code, _, err = run(
        capsys, "results", "add", str(path), "--index", "PARR", "--year", "20x5", "--source", "\x1b[2J", "--lang", "en"
    )
    assert code == 2 and "--index" in err and "--year" in err and "--source" in err and "\x1b" not in err
    code, _, err = run(
        capsys, "results", "add", str(tmp_path / "none.csv"), "--index", "PAR", "--year", "2025", "--source", "x"
    )
    assert code == 2 and "FILE" in err
    code, _, err = run(capsys, "forecast", "score", "--label", "nope", "--lang", "en")
    assert code == 2 and "none yet" in err


@pytest.mark.slow
def test_a_year_already_added_and_replace(user_folder, tmp_path, capsys, monkeypatch):
    from simlib.cli import results as results_command

    # what is replaced and kept is checked here; the track record's refresh after an add, in the whole cycle
    monkeypatch.setattr(results_command, "_refresh_track_record", lambda *args, **kwargs: None)
    a = write_csv(tmp_path / "a.csv", fabricated(2025, "PAR", n=6))
    b = write_csv(tmp_path / "b.csv", fabricated(2025, "PAR", n=6, seed=9))
    assert (
        run(capsys, "results", "add", str(a), "--index", "PAR", "--year", "2025", "--source", "a", "--partial")[0] == 0
    )
    code, _, err = run(
        capsys, "results", "add", str(b), "--index", "PAR", "--year", "2025", "--source", "b", "--partial"
    )
    assert code == 2 and "--replace" in err
    code, out, _ = run(
        capsys, "results", "add", str(b), "--index", "PAR", "--year", "2025", "--source", "b", "--partial", "--replace"
    )
    assert code == 0 and "Bản trước" in out
    kept = list((user_folder / "results" / "replaced").glob("PAR-2025.*.csv"))
    assert len(kept) == 1 and "a.csv" in kept[0].read_text(encoding="utf-8")
    assert {t.file for t in data.load().added} == {"b.csv"}


@pytest.mark.slow
@pytest.mark.notebook
def test_the_whats_new_report_in_both_languages(user_folder, tmp_path, capsys, few_track_record_draws):
    """Rendered like the other reports: the page without code, the one-pager; the user's source text shown,
    never markup; a second run replaces the folder, a folder of other files is refused."""
    import html

    assert run(capsys, "forecast", "freeze", "--label", "f2025", "--draws", "200")[0] == 0
    for index in ("PAR", "SIPAS"):
        path = write_csv(tmp_path / f"{index}.csv", fabricated(2025, index))
        source = f"<script>alert(1)</script> QĐ {index} 2025"
        assert run(capsys, "results", "add", str(path), "--index", index, "--year", "2025", "--source", source)[0] == 0
    out = tmp_path / "wn"
    for lang, title in (("vi", "Có gì mới: kết quả năm 2025"), ("en", "What's new: the 2025 results")):
        code, printed, err = run(capsys, "results", "whats-new", "--out", str(out), "--lang", lang, "--draws", "200")
        assert code == 0, err
        page = (out / "report.html").read_text(encoding="utf-8")
        assert html.escape(title, quote=True) in page or title in page
        assert "<script>alert(1)</script>" not in page and "alert(1)" in page
        assert "f2025" in page and "Hà Nội" in page
        one = (out / "onepager.html").read_text(encoding="utf-8")
        assert "<script>alert" not in one and "&lt;script&gt;" in one
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["kind"] == "simlib-whatsnew" and manifest["status"] == "ok"
        assert "user/results/PAR-2025.csv" in manifest["data_file_hashes"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "results", "whats-new", "--out", str(other))
    assert code == 2 and (other / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_run_freeze_refuses_a_taken_label_before_rendering(user_folder, tmp_path, capsys):
    from support import ROOT

    assert run(capsys, "forecast", "freeze", "--label", "taken", "--draws", "20")[0] == 0
    out = tmp_path / "report"
    code, _, err = run(capsys, "run", str(ROOT / "scenarios" / "baseline.yaml"), "--out", str(out), "--freeze", "taken")
    assert code == 2 and "never overwritten" in err and not out.exists()
    code, _, err = run(capsys, "batch", str(ROOT / "scenarios"), "--out", str(out), "--freeze", "../x")
    assert code == 2 and "--label" in err and not out.exists()


@pytest.mark.slow
def test_batch_freeze_labels_each_finished_scenario(user_folder, tmp_path, capsys):
    from simlib.analysis import forecasts
    from simlib.cli import batch as cli_batch
    from simlib.engine.scenario import Scenario

    out = tmp_path / "batch"
    for name, focal in (("a", "ha-noi"), ("b", "da-nang")):
        (out / name).mkdir(parents=True)
        scenario = Scenario.from_dict({"name": name, "focal": focal, "draws": 20}).to_dict()
        (out / name / "manifest.json").write_text(json.dumps({"scenario": scenario}), encoding="utf-8")
    manifest = {
        "scenarios": [{"dir": "a", "status": "ok"}, {"dir": "b", "status": "ok"}, {"dir": "c", "status": "failed"}]
    }
    cli_batch._freeze_batch("plan", manifest, out, "en")
    frozen = {m["label"]: m for m in forecasts.labels()}
    assert set(frozen) == {"plan-a", "plan-b"}
    assert frozen["plan-b"]["focal"] == "da-nang" and frozen["plan-b"]["report"] == str(out)
    assert "Froze the forecast “plan-a”" in capsys.readouterr().out
