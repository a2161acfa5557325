"""data.py and tables.py: the published data load, validate, and resolve their clashes by rule."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from support import append_row, find_row, set_cells

from simlib.engine import consolidation, data, datafiles
from simlib.engine import csvschema as tables
from simlib.engine.errors import DataError


@pytest.fixture(scope="module")
def ds():
    return data.load()


# --------------------------------------------------------------------------- units and the merger


def test_63_provinces_map_onto_34_units(ds):
    assert len(ds.provinces) == 63 and len(ds.units) == 34
    assert {row["unit_2025_slug"] for row in ds.provinces.values()} == set(ds.units)
    assert sorted(p for u in ds.units for p in ds.members(u)) == sorted(ds.provinces)


def test_merged_and_unmerged_units(ds):
    assert ds.members("ha-noi") == ["ha-noi"]  # Hà Nội was not merged
    assert sorted(ds.members("hai-phong")) == ["hai-duong", "hai-phong"]
    assert sorted(ds.members("ho-chi-minh")) == ["ba-ria-vung-tau", "binh-duong", "ho-chi-minh"]
    assert all(ds.members(u) for u in ds.units)


def test_units_ranked_each_year(ds):
    assert len(ds.units_in(2024)) == 63
    assert len(ds.units_in(data.MERGER_YEAR)) == 34
    assert len(ds.units_in(2030)) == 34


# --------------------------------------------------------------------------- published figures


def test_published_averages(ds):
    assert [ds.average("PAR", y) for y in (2022, 2023, 2024)] == [84.79, 86.98, 88.37]
    assert [ds.average("SIPAS", y) for y in (2022, 2023, 2024)] == [80.08, 82.66, 83.94]
    assert ds.average("PAR", 1990) is None


def test_ha_noi_published_results(ds):
    par = [ds.results[("PAR", y)]["ha-noi"] for y in (2022, 2023, 2024)]
    assert [(p.score, p.rank) for p in par] == [(89.58, 3), (91.43, 3), (92.75, 3)]
    sipas = ds.results[("SIPAS", 2024)]["ha-noi"]
    assert (sipas.score, sipas.rank) == (86.5, 11)
    assert all(p.sources for p in par)


def test_ha_noi_par_2024_clash_uses_its_written_rule(ds):
    """Sources give 92.57 and 92.75; the written rule keeps 92.75 and the clash is listed."""
    assert ds.results[("PAR", 2024)]["ha-noi"].score == 92.75
    lines = [c for c in ds.clashes if c.startswith("PAR 2024 ha-noi")]
    assert len(lines) == 1
    assert "92.57" in lines[0] and "92.75" in lines[0] and "written rule" in lines[0]


@pytest.mark.parametrize(
    "figures",
    [
        {("PAR", 2024, "ha-noi")},  # a clash resolved by its written rule, set aside
        {("PAR", 2023, "quang-ninh"), ("SIPAS", 2023, "quang-ninh"), ("PAR", 2022, "ha-noi")},
        {("SIPAS", 2021, "da-nang"), ("SIPAS", 2021, "ha-noi"), ("SIPAS", 2022, "hue")},
    ],
)
def test_setting_figures_aside_consolidates_as_if_their_rows_were_never_collected(ds, figures):
    """``data.without`` redoes only the index-years it touches; what it gives is what consolidating
    the remaining rows from the start gives: the same results in the same order, the same clashes."""
    rows = [r for r in ds.raw_results if (r["index"], r["year"], r["province_slug"]) not in figures]
    clashes: list[str] = []
    results = consolidation.consolidate(rows, ds.conflict_rules, clashes)
    whole: list[str] = []
    consolidation.consolidate(ds.raw_results, ds.conflict_rules, whole)
    assert whole  # the dataset's clashes: its results' first, then its covariates'
    for _ in range(2):  # a second time from what the first kept
        out = data.without(ds, figures)
        assert list(out.results.items()) == list(results.items())
        assert out.clashes == clashes + ds.clashes[len(whole) :]
    assert any(c.startswith("PAR 2024 ha-noi") for c in ds.clashes)


def test_every_disagreement_between_sources_is_listed(ds):
    scores, ranks = defaultdict(set), defaultdict(set)
    for r in ds.raw_results:
        key = (r["index"], r["year"], r["province_slug"])
        if r["score_pct"] is not None:
            scores[key].add(r["score_pct"])
        if r["rank"] is not None:
            ranks[key].add(r["rank"])
    disputed = {k for k in set(scores) | set(ranks) if len(scores[k]) > 1 or len(ranks[k]) > 1}
    assert disputed, "the data has known clashes (e.g. Hà Nội PAR 2024)"
    for index, year, slug in disputed:
        assert any(c.startswith(f"{index} {year} {slug}:") for c in ds.clashes), (index, year, slug)


def test_consolidated_ranks_are_unique_and_ordered(ds):
    for (index, year), entries in ds.results.items():
        ranked = sorted((p for p in entries.values() if p.rank is not None), key=lambda p: p.rank)
        assert len({p.rank for p in ranked}) == len(ranked), (index, year)
        scored = [p.score for p in ranked if p.score is not None]
        assert scored == sorted(scored, reverse=True), (index, year)
        n = 63 if year < data.MERGER_YEAR else 34
        assert all(1 <= p.rank <= n for p in ranked)


def test_new_published_rows_and_2021_averages(ds):
    """The second collection: 2021 averages and more 2021–2024 rows, each with its source."""
    assert ds.average("PAR", 2021) == 86.37 and ds.average("SIPAS", 2021) == 87.16
    assert (ds.results[("PAR", 2021)]["hai-phong"].score, ds.results[("PAR", 2021)]["hai-phong"].rank) == (91.8, 1)
    assert ds.results[("SIPAS", 2023)]["quang-ninh"].score == 90.61
    assert sum(p.score is not None for p in ds.results[("PAR", 2023)].values()) >= 20
    # Hải Phòng SIPAS 2024: 90.59 (named, consistent with 88.90 + 1.69) over an unnamed 91.10
    assert ds.results[("SIPAS", 2024)]["hai-phong"].score == 90.59
    assert any(c.startswith("SIPAS 2024 hai-phong") and "91.1" in c for c in ds.clashes)


def test_population_weights_every_province_once(ds):
    assert set(ds.population) == set(ds.provinces)
    assert 90_000 < sum(ds.population.values()) < 100_000  # Việt Nam had ~96.5 million in 2019
    assert ds.population["ho-chi-minh"] > ds.population["ha-noi"] > ds.population["bac-kan"]


def test_covariates_are_loaded_per_index_year_and_province(ds):
    dti = ds.covariates[("DTI", 2023)]
    assert len(dti) == 63 and all(0 < v <= 1 for v in dti.values())
    papi = ds.covariates[("PAPI_e_governance", 2022)]
    assert 55 <= len(papi) <= 63
    assert ("PAR", 2023) not in ds.covariates  # index results never come in as covariates


def test_bad_population_and_covariate_rows_are_named(data_copy):
    pop = data_copy / "population_2019.csv"
    row = find_row(pop, province_slug="ha-noi")
    set_cells(pop, row, population_thousand="-5")
    cov = data_copy / "covariates.csv"
    append_row(cov, index="DTI", year="2023", province_slug="atlantis", score="0.5", source="https://example.org")
    with pytest.raises(DataError) as err:
        data.load_from(data_copy)
    where = {i.where: i for i in err.value.issues}
    assert where[f"data/population_2019.csv row {row} column population_thousand"].value == "-5"
    bad = [i for w, i in where.items() if w.startswith("data/covariates.csv") and w.endswith("column province_slug")]
    assert bad and bad[0].value == "atlantis" and "known" in bad[0].allowed


def test_a_province_missing_from_the_population_is_reported(data_copy):
    pop = data_copy / "population_2019.csv"
    lines = pop.read_text(encoding="utf-8").splitlines()
    pop.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        data.load_from(data_copy)
    assert any(i.where == "data/population_2019.csv" and "63" in i.allowed for i in err.value.issues)


def test_every_file_is_fingerprinted(ds):
    assert set(ds.file_hashes) == set(datafiles.FILES)
    assert all(h != "missing" and len(h) == 16 for h in ds.file_hashes.values())


def test_every_row_has_a_source(ds):
    for rows in (
        ds.raw_results,
        ds.summary_rows,
        ds.levers,
        ds.baselines,
        ds.parameters,
        ds.sipas_elements,
        ds.fee_policies,
        list(ds.provinces.values()),
        list(ds.units.values()),
        datafiles.load_population(ds.directory, set(ds.provinces)),
    ):
        assert rows and all(str(r["source"]).strip() for r in rows)


# --------------------------------------------------------------------------- validation of a broken copy


def test_bad_cells_are_named_by_file_row_and_column(data_copy):
    results = data_copy / "index_results.csv"
    row = find_row(results, index="PAR", year="2012", province_slug="ha-noi")
    set_cells(results, row, score_pct="8x.79")
    levers_csv = data_copy / "levers.csv"
    lever_row = find_row(levers_csv, lever="delegation")
    set_cells(levers_csv, lever_row, min="-0.5")

    with pytest.raises(DataError) as err:
        data.load_from(data_copy)
    where = {i.where: i for i in err.value.issues}
    # both files' problems reported at once
    assert f"data/index_results.csv row {row} column score_pct" in where
    assert where[f"data/index_results.csv row {row} column score_pct"].value == "8x.79"
    assert f"data/levers.csv row {lever_row} column min" in where
    assert "from 0 to 1" in where[f"data/levers.csv row {lever_row} column min"].allowed


def test_blank_source_is_rejected(data_copy):
    set_cells(data_copy / "units_2025.csv", 4, source=" ")
    with pytest.raises(DataError) as err:
        data.load_from(data_copy)
    assert [i.where for i in err.value.issues] == ["data/units_2025.csv row 4 column source"]


def test_wrong_number_of_provinces_is_rejected(data_copy):
    path = data_copy / "provinces.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        data.load_from(data_copy)
    assert any(i.where == "data/provinces.csv" and "63" in i.allowed for i in err.value.issues)


def _free_province(ds, index, year):
    return next(s for s in ds.provinces if s not in ds.results[(index, year)])


def test_duplicated_rank_is_reported_and_resolved(data_copy):
    ds = data.load_from(data_copy)
    newcomer = _free_province(ds, "PAR", 2024)
    append_row(
        data_copy / "index_results.csv",
        index="PAR",
        year="2024",
        province_slug=newcomer,
        rank="3",
        n_units="63",
        status="derived",
        source="https://example.org/dup",
    )

    ds2 = data.load_from(data_copy)  # no exception: a clash, not a crash
    entries = ds2.results[("PAR", 2024)]
    assert entries["ha-noi"].rank == 3  # stated and better supported: keeps the rank
    assert entries[newcomer].rank is None
    assert any("rank 3 given to" in c and newcomer in c and "ha-noi" in c for c in ds2.clashes)
    assert Counter(p.rank for p in entries.values() if p.rank)[3] == 1


def test_better_rank_with_lower_score_drops_the_weaker_rank(data_copy):
    ds = data.load_from(data_copy)
    entries = ds.results[("PAR", 2024)]
    taken = {p.rank for p in entries.values() if p.rank}
    below = min(
        p.rank
        for p in entries.values()
        if p.rank and p.score is not None and p.rank > 1 and any(r not in taken for r in range(1, p.rank))
    )
    free = next(r for r in range(1, below) if r not in taken)
    newcomer = _free_province(ds, "PAR", 2024)
    append_row(
        data_copy / "index_results.csv",
        index="PAR",
        year="2024",
        province_slug=newcomer,
        score_pct="50.0",
        rank=str(free),
        n_units="63",
        status="derived",
        source="https://example.org/low",
    )

    ds2 = data.load_from(data_copy)
    assert ds2.results[("PAR", 2024)][newcomer].rank is None
    assert ds2.results[("PAR", 2024)][newcomer].score == 50.0
    assert any(newcomer in c and "dropped the rank" in c for c in ds2.clashes)


def test_data_dir_follows_the_environment(other_data):
    assert data.data_dir() == other_data
    assert data.load().directory == other_data


def test_load_notices_a_changed_file(other_data, monkeypatch):
    first = data.load()
    assert data.load() is first  # cached
    monkeypatch.setattr(data, "RECHECK_SECONDS", 0.0)  # look at the files' times on every call
    path = other_data / "national_summary.csv"
    set_cells(path, find_row(path, index="PAR", year="2024", metric="avg_pct"), value="88.40")
    import os

    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    second = data.load()
    assert second is not first
    assert second.average("PAR", 2024) == 88.40
    assert second.file_hashes["national_summary.csv"] != first.file_hashes["national_summary.csv"]


def test_consolidate_prefers_stated_then_most_sources():
    def row(score, rank, status, source):
        return {
            "index": "PAR",
            "year": 2023,
            "province_slug": "x",
            "score_pct": score,
            "rank": rank,
            "status": status,
            "source": source,
        }

    clashes: list[str] = []
    out = consolidation.consolidate(
        [row(80.0, 5, "derived", "a"), row(81.0, 5, "stated", "b"), row(80.0, 5, "derived", "c")], [], clashes
    )
    assert out[("PAR", 2023)]["x"].score == 81.0  # stated beats two derived
    assert out[("PAR", 2023)]["x"].status == "stated"
    assert len(clashes) == 1 and "no written rule" in clashes[0]

    clashes = []
    out = consolidation.consolidate(
        [row(80.0, None, "derived", "a"), row(79.0, None, "derived", "b"), row(80.0, None, "derived", "c")], [], clashes
    )
    assert out[("PAR", 2023)]["x"].score == 80.0  # same status: the value more sources give
    assert out[("PAR", 2023)]["x"].sources == ("a", "b", "c")

    clashes = []
    out = consolidation.consolidate([row(70.0, 1, "stated", "a")], [], clashes)
    assert clashes == [] and out[("PAR", 2023)]["x"].rank == 1


# --------------------------------------------------------------------------- tables.py


@pytest.mark.parametrize("cell, value", [("", None), (" 1.5 ", 1.5), ("-2", -2.0), ("1e2", 100.0)])
def test_number_accepts(cell, value):
    assert tables.number(cell) == value


@pytest.mark.parametrize(
    "cell, message", [("1,5", "decimal number"), ("nan", "finite"), ("inf", "finite"), ("abc", "decimal number")]
)
def test_number_rejects(cell, message):
    with pytest.raises(ValueError, match=message):
        tables.number(cell)


def test_required_parsers():
    with pytest.raises(ValueError):
        tables.required_number("  ")
    with pytest.raises(ValueError):
        tables.required_integer("")
    with pytest.raises(ValueError):
        tables.required_text(" ")
    assert tables.integer("") is None and tables.integer(" 7 ") == 7
    with pytest.raises(ValueError, match="whole number"):
        tables.integer("7.5")
    assert tables.one_of("a", "b")(" b ") == "b"
    with pytest.raises(ValueError, match="one of a, b"):
        tables.one_of("a", "b")("c")


def test_read_table_reports_every_bad_cell_with_its_position(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,value,note\nx,1,keep me\n\ny,oops,\nz\nw,nan,\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        tables.read_table(path, {"name": tables.required_text, "value": tables.required_number}, display="data/t.csv")
    where = [i.where for i in err.value.issues]
    assert where == ["data/t.csv row 4 column value", "data/t.csv row 5", "data/t.csv row 6 column value"]
    assert err.value.issues[0].value == "oops"


def test_read_table_keeps_extra_columns_and_skips_blank_lines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,value,note\nx,1,keep me\n,,\ny,2,\n", encoding="utf-8")
    rows = tables.read_table(path, {"name": tables.required_text, "value": tables.required_number})
    assert [(r["name"], r["value"], r["note"], r["_row"]) for r in rows] == [
        ("x", 1.0, "keep me", 2),
        ("y", 2.0, "", 4),
    ]


def test_read_table_names_every_missing_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        tables.read_table(path, {"name": tables.text, "value": tables.number, "source": tables.text})
    assert [i.allowed for i in err.value.issues] == ["a column named 'value'", "a column named 'source'"]


def test_read_table_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="missing file"):
        tables.read_table(tmp_path / "none.csv", {})
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"name\n\xff\xfe\n")
    with pytest.raises(DataError, match="UTF-8"):
        tables.read_table(bad, {"name": tables.text})
