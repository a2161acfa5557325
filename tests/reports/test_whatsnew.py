"""The "what's new" report's words and one-pager: the focal unit's result against the frozen forecast,
every user-typed word escaped; its notebook stored like the others."""

from __future__ import annotations

import json

import pytest
from newyear_support import fabricated, write_csv
from support import ROOT

from simlib.analysis import forecasts
from simlib.engine import data, resulttable, userdata
from simlib.engine.scenario import Scenario
from simlib.reports import whatsnew

NOTEBOOK = ROOT / "notebooks" / "whats_new.ipynb"


@pytest.mark.slow
def test_the_notebook_is_stored_without_outputs_with_its_parameters():
    import papermill

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])
    found = papermill.inspect_notebook(str(NOTEBOOK))
    assert set(found) == {"focal", "label", "year", "draws", "lang"}
    assert all(p["inferred_type_name"] != "None" for p in found.values())


@pytest.mark.slow
def test_the_report_sets_the_result_against_the_frozen_forecast(user_folder, tmp_path):
    fz = forecasts.freeze(Scenario.from_dict({"name": "t", "draws": 200}), "before-2025")
    forecasts.save(fz)
    for index in ("PAR", "SIPAS"):
        path = write_csv(tmp_path / f"{index}.csv", fabricated(2025, index))
        userdata.add(resulttable.read(path, index, 2025), f'<img src=x onerror="alert(1)"> {index} & co')
    data.refresh()
    news = whatsnew.build("ha-noi", draws=200)
    assert news.year == 2025 and news.frozen.label == "before-2025" and len(news.rows["PAR"]) == 34
    name, score, rank = next(r for r in fabricated(2025, "PAR") if r[0] == "Hà Nội")
    assert news.standing["PAR"] == (score, rank, 34)
    assert news.ahead["year"] == 2026 and news.ahead["base"] == 2025
    up, down = whatsnew.movers(news, "PAR")
    assert all(r["rank_move"] > 0 for r in up) and all(r["rank_move"] < 0 for r in down)
    moves = sorted(r["rank_move"] for r in news.rows["PAR"])
    assert not up or up[0]["rank_move"] == moves[-1]
    en = whatsnew.standing_lines(news, "en")
    assert en[0].startswith("PAR 2025: ") and f"of 34, {score:.2f} points" in en[0]
    page = whatsnew.onepager_html(news, "en")
    assert "onerror" in page and '<img src=x onerror="alert(1)">' not in page  # shown, never markup
    assert "What&#x27;s new — the 2025 results" in page or "What's new — the 2025 results" in page
    assert "before-2025" in page
    lines = whatsnew.added_lines(news, "vi")  # Markdown: signs escaped
    assert all("<img" not in line for line in lines) and any("&lt;img" in line for line in lines)
