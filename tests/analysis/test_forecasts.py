"""Frozen forecasts: stored whole, never overwritten, and scored right once the results are out."""

from __future__ import annotations

import numpy as np
import pytest
from newyear_support import write_csv

from simlib.analysis import forecasts
from simlib.analysis import scores as sc
from simlib.engine import data, resulttable, userdata
from simlib.engine.errors import InputError
from simlib.engine.scenario import Scenario
from simlib.reports import forecast_report

DRAWS = 200


@pytest.fixture
def frozen(user_folder):
    fz = forecasts.freeze(Scenario.from_dict({"name": "t", "draws": DRAWS, "seed": 3}), "t-2024")
    forecasts.save(fz)
    return forecasts.load("t-2024")


def test_a_frozen_forecast_holds_every_unit_year_and_index_with_its_provenance(frozen):
    assert frozen.years() == list(range(2025, 2031))
    assert len(frozen.rows) == 2 * 6 * 34
    row = frozen.row("PAR", 2025, "ha-noi")
    assert row["focal"] == 1 and row["rank_p05"] <= row["rank_p50"] <= row["rank_p95"]
    assert row["score_p05"] <= row["score_p50"] <= row["score_p95"] and 0 <= row["p_top3"] <= row["p_top10"] <= 1
    q = frozen.quantiles[("PAR", 2025, "ha-noi", "score")]
    assert q.shape == (100,) and np.all(np.diff(q) >= 0)
    m = frozen.meta
    assert m["baseline_year"] == 2024 and m["seed"] == 3 and m["draws"] == DRAWS
    assert m["data_fingerprint"] == forecasts.data_fingerprint() and m["simlib_version"]
    p3 = [r["p_top3"] for r in frozen.rows if r["index"] == "PAR" and r["year"] == 2025]
    assert sum(p3) == pytest.approx(3.0, abs=1e-9)  # three places in the top 3 in every draw


def test_a_label_is_never_overwritten_and_must_be_a_plain_name(frozen):
    with pytest.raises(InputError) as exc:
        forecasts.save(forecasts.Frozen({**frozen.meta}, frozen.rows, frozen.quantiles))
    assert "never overwritten" in str(exc.value)
    for bad in ("", "../x", "a b", "x" * 61, ".hidden", "kế-hoạch"):
        assert forecasts.check_label(bad), bad
    with pytest.raises(InputError) as exc:
        forecasts.load("missing")
    assert "t-2024" in str(exc.value)


def test_a_failed_freeze_leaves_no_folder_and_a_formula_like_cell_stays_text(frozen, monkeypatch):
    """A frozen forecast's folder follows the one rule of an output folder (written aside, moved in
    whole): a write that fails half-way leaves neither the label's folder nor a temporary one; its CSVs
    go through the one writer."""
    from simlib.engine import atomic

    real = atomic.write_text

    def disk_full(path, text):
        if str(path).endswith("quantiles.csv"):
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(atomic, "write_text", disk_full)
    again = forecasts.Frozen({**frozen.meta, "label": "t-full"}, frozen.rows, frozen.quantiles)
    with pytest.raises(OSError):
        forecasts.save(again)
    assert not forecasts.folder("t-full").exists()
    assert [p.name for p in forecasts.folder("t-full").parent.iterdir() if "t-full" in p.name] == []
    assert forecasts._csv(["unit_slug", "x"], [{"unit_slug": "=cmd", "x": 1.5}]).splitlines()[1] == "'=cmd,1.5000"


def test_nothing_to_score_before_the_results_are_out(frozen):
    scoring = forecasts.score(frozen)
    assert scoring.outcomes == [] and scoring.rows == []
    assert "published yet" in forecast_report.verdict_lines(scoring, "en")[0]


@pytest.mark.slow
def test_scored_against_a_fabricated_2025_table(frozen, tmp_path):
    """A table whose scores are the forecast's own medians: no score error, every band holds; the CRPS and
    the Brier score are what their definitions give on the stored quantiles and probabilities."""
    rows = [r for r in frozen.rows if r["index"] == "PAR" and r["year"] == 2025]
    order = sorted(rows, key=lambda r: -r["score_p50"])
    names = data.load().units
    table = [(names[r["unit_slug"]]["name_vi"], round(r["score_p50"], 2), i + 1) for i, r in enumerate(order)]
    t = resulttable.read(write_csv(tmp_path / "par.csv", table), "PAR", 2025)
    userdata.add(t, "fabricated by the test")
    data.refresh()
    scoring = forecasts.score(frozen)
    model = scoring.row("PAR", 2025, "model")
    assert model["n_scores"] == model["n_ranks"] == 34
    assert model["mae"] < 0.006 and model["coverage_90"] == 1.0
    y = np.array([s for _, s, _ in table])
    slugs = [r["unit_slug"] for r in order]
    crps = np.mean([sc.crps_sample(frozen.quantiles[("PAR", 2025, s, "score")], v) for s, v in zip(slugs, y)])
    assert model["crps"] == pytest.approx(crps)
    brier = np.mean([(r["p_top3"] - (i < 3)) ** 2 for i, r in enumerate(order)])
    assert model["brier_top3"] == pytest.approx(brier)
    naive = scoring.row("PAR", 2025, "naive")
    assert model["crps"] < naive["crps"]
    lines = forecast_report.verdict_lines(scoring, "en")
    assert (
        lines[0].startswith("Our frozen forecast “t-2024”")
        and "put Hà Nội" in lines[0]
        and "the result was" in lines[0]
    )
    assert any("beats the naive forecast" in line for line in lines)
    vi = forecast_report.verdict_lines(scoring, "vi")
    assert vi[0].startswith("Dự báo «t-2024»") and "kết quả công bố: thứ" in vi[0]
    assert not any("after the fact" in line for line in lines)
    late = forecasts.freeze(Scenario.from_dict({"name": "t", "draws": DRAWS, "seed": 3, "baseline_year": 2024}), "late")
    assert late.hindcast("PAR", 2025) and not late.hindcast("SIPAS", 2025)  # frozen once PAR 2025 was known
    assert any("after the fact" in line for line in forecast_report.verdict_lines(forecasts.score(late), "en"))
