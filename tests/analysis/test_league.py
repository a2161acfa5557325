"""The league table: every unit's score and rank in one year (analysis.league, engine.fielddraws,
reports.leaguetable, `simlib league`)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from simlib.analysis import league
from simlib.cli import main as cli
from simlib.engine import data, fielddraws
from simlib.engine.errors import InputError
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import simulate
from simlib.reports import leaguetable

DRAWS = 200
REQUIRED = (
    "unit_slug",
    "score_p05",
    "score_p50",
    "score_p95",
    "rank_p05",
    "rank_p50",
    "rank_p95",
    "p_top3",
    "p_top10",
    "status",
)


@pytest.fixture(scope="module")
def pushed():
    """A scenario that moves every lever, and its outcomes."""
    s = Scenario.from_dict(
        {
            "name": "pushed",
            "draws": DRAWS,
            "levers": {"simplification": 0.8, "delegation": 0.8, "full_process_online": 0.95},
            "field": {"others_fee_waiver_share": 0.5},
        }
    )
    return s, simulate(s)


@pytest.mark.parametrize("year", [2022, 2024, 2025, 2027, 2030])
def test_ranks_are_a_permutation_in_every_draw(pushed, year):
    s, out = pushed
    table = league.from_outcomes(out, "PAR", year)
    n = len(data.load().units_in(year))
    assert table.ranks.shape == (DRAWS, n)
    assert (np.sort(table.ranks, axis=1) == np.arange(1, n + 1)).all()


def test_ranks_are_a_permutation_even_with_tied_scores():
    scores = np.array([[90.0, 92.0, 90.0, 85.0], [88.0, 88.0, 88.0, 88.0]])
    r = fielddraws.ranks(scores, focal_column=2)
    assert (np.sort(r, axis=1) == np.arange(1, 5)).all()
    assert r[0].tolist() == [3, 1, 2, 4]  # the focal unit takes the better of the tied ranks
    assert r[1, 2] == 1


@pytest.mark.parametrize("index,metric", [("PAR", "par_rank"), ("SIPAS", "sipas_rank")])
def test_focal_rank_is_the_engines_rank(pushed, index, metric):
    s, out = pushed
    for year in (2025, 2027, 2030):
        table = league.from_outcomes(out, index, year)
        k = out.year_index(year)
        assert np.array_equal(table.ranks[:, table.focal_column], out.arrays[metric][0, :, k])
        assert table.slugs[table.focal_column] == "ha-noi"


def test_levers_move_the_focal_unit_only(pushed):
    s, out = pushed
    base = simulate(s.with_(levers={}))
    a, b = league.from_outcomes(out, "PAR", 2028), league.from_outcomes(base, "PAR", 2028)
    others = [i for i in range(a.n_units) if i != a.focal_column]
    assert np.array_equal(a.scores[:, others], b.scores[:, others])
    assert a.scores[:, a.focal_column].mean() > b.scores[:, b.focal_column].mean()


def test_rows_summarise_the_draws(pushed):
    s, out = pushed
    table = league.from_outcomes(out, "PAR", 2027)
    rows = table.rows()
    assert len(rows) == 34 and sorted(r["unit_slug"] for r in rows) == sorted(data.load().units)
    assert [r["focal"] for r in rows].count(1) == 1
    assert [r["rank_p50"] for r in rows] == sorted(r["rank_p50"] for r in rows)
    for r in rows:
        assert r["score_p05"] <= r["score_p50"] <= r["score_p95"]
        assert r["rank_p05"] <= r["rank_p50"] <= r["rank_p95"]
        assert 0 <= r["p_top3"] <= r["p_top10"] <= 1
        assert r["p_top3_lo"] <= r["p_top3"] <= r["p_top3_hi"]
        assert r["status"] in ("published", "partly published", "reconstructed")
    # P(top 3) sums to 3 over the units: each draw has exactly three units in the top 3
    assert sum(r["p_top3"] for r in rows) == pytest.approx(3.0)
    m = table.rank_matrix
    assert np.allclose(m.sum(axis=0), 1) and np.allclose(m.sum(axis=1), 1)
    assert np.allclose(m[:, :3].sum(axis=1), table.p_top(3))


def test_status_follows_the_published_figures(pushed):
    s, out = pushed
    past = {r["unit_slug"]: r for r in league.from_outcomes(out, "PAR", 2024).rows()}
    published = {slug: p.score for slug, p in data.load().results[("PAR", 2024)].items() if p.score is not None}
    for slug, row in past.items():
        assert (row["status"] == "published") == (slug in published)
        if slug in published:
            assert row["published_score"] == pytest.approx(published[slug])
            assert row["score_p05"] == pytest.approx(published[slug])  # a published score has no band
    merged = {r["unit_slug"]: r for r in league.from_outcomes(out, "PAR", 2027).rows()}
    assert merged["ha-noi"]["status"] == "published" and merged["ha-noi"]["status_year"] == 2024


def test_bad_year_and_index_are_named():
    s = Scenario.from_dict({"draws": DRAWS})
    with pytest.raises(InputError) as exc:
        league.check(s, "PAR", 2031)
    assert "--year" in exc.value.message() and "2030" in exc.value.message()
    with pytest.raises(InputError) as exc:
        league.check(s, "PARR", 2027)
    assert "--index" in exc.value.message()


def test_cli_csv_has_one_row_per_unit(capsys, tmp_path):
    code = cli.main(["league", "--year", "2027", "--format", "csv", "--draws", str(DRAWS), "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(REQUIRED) <= set(rows[0])
    assert len(rows) == 34 and len({r["unit_slug"] for r in rows}) == 34
    assert [r["unit_slug"] for r in rows if r["focal"] == "1"] == ["ha-noi"]
    assert "generic assumptions" in err  # the note goes to stderr beside a CSV
    assert (tmp_path / "league.csv").read_text(encoding="utf-8").startswith("unit_slug,")
    assert (tmp_path / "rank_matrix.png").stat().st_size > 1000
    code = cli.main(["league", "--year", "2024", "--format", "csv", "--draws", str(DRAWS)])
    out, _ = capsys.readouterr()
    assert code == 0 and len(out.strip().splitlines()) == 64


def test_cli_refuses_bad_options_all_at_once(capsys):
    code = cli.main(["league", "--year", "2099", "--lang", "fr", "--draws", str(DRAWS)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--year" in err and "--lang" in err and "Traceback" not in err


def test_table_highlights_the_focal_unit_and_escapes(pushed):
    s, out = pushed
    table = league.from_outcomes(out, "PAR", 2027)
    page = leaguetable.html_table(table, "vi", proxies={"<b>x</b>": {"ha-noi": 0.5}})
    assert page.count('class="focal"') == 1
    focal_row = page.split('class="focal">')[1].split("</tr>")[0]
    assert "Hà Nội" in focal_row
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    assert "công bố" in page
    fig = leaguetable.rank_matrix_figure(table, "en")
    assert "Chance of each unit" in fig.axes[0].get_title()
    assert "generic assumptions" in leaguetable.note(table, "en")
    assert "tương lai mô phỏng" in leaguetable.note(table, "vi")


def test_published_proxies_are_labelled_and_merged(pushed, capsys):
    s, out = pushed
    table = league.from_outcomes(out, "PAR", 2027)
    ds = data.load()
    found = {p.name: p for p in league.proxies(table)}
    assert set(found) == {"DTI_digital_government", "PAPI_e_governance"}
    dti = found["DTI_digital_government"]
    assert dti.year == 2024
    assert dti.values["ha-noi"] == pytest.approx(ds.covariates[("DTI_digital_government", 2024)]["ha-noi"])
    merged = next(u for u in dti.merged)
    members = [ds.covariates[("DTI_digital_government", 2024)][m] for m in ds.members(merged)]
    assert dti.values[merged] == pytest.approx(np.mean(members))
    labels = leaguetable.proxy_columns(table, "en")
    assert all(label.startswith("Proxy:") for label in labels)
    assert cli.main(["league", "--year", "2027", "--format", "csv", "--draws", str(DRAWS)]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert "proxy_DTI_digital_government_2024" in header and "proxy_PAPI_e_governance_2024" in header
