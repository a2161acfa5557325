"""Added results live in the user data folder, carry their provenance, merge over the shipped data on load,
and are written atomically: the same file twice changes nothing, --replace keeps the old version, a
failed or interrupted write leaves the folder as it was, and data/ is never touched."""

from __future__ import annotations

import csv
import hashlib
import os
import time

import numpy as np
import pytest
from newyear_support import fabricated, write_csv

from simlib.analysis import summary_file
from simlib.engine import data, history, paths, resulttable, userdata
from simlib.engine.errors import DataError, InputError
from simlib.engine.scenario import Scenario, default_baseline_year


def shipped_hashes() -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths.data_dir().glob("*"))}


def add(tmp_path, rows, index="PAR", year=2025, source="Bộ Nội vụ (test)", name=None, **kw):
    path = write_csv(tmp_path / (name or f"{index}{year}.csv"), rows)
    table = resulttable.read(path, index, year, partial=kw.pop("partial", False))
    out = userdata.add(table, source, **kw)
    data.refresh()
    return out


def test_an_added_table_is_stored_with_its_provenance_and_merged_on_load(user_folder, tmp_path):
    before = shipped_hashes()
    rows = fabricated(2025, "PAR")
    out = add(tmp_path, rows)
    assert out.outcome == "added" and out.path == user_folder / "results" / "PAR-2025.csv"
    with out.path.open(encoding="utf-8", newline="") as f:
        stored = list(csv.DictReader(f))
    assert len(stored) == 34
    sha = hashlib.sha256((tmp_path / "PAR2025.csv").read_bytes()).hexdigest()
    for r in stored:  # every row carries its file, sha256, time and source
        assert (r["file"], r["sha256"], r["source"], r["table"]) == ("PAR2025.csv", sha, "Bộ Nội vụ (test)", "complete")
        assert r["added_at"].startswith(time.strftime("%Y", time.gmtime()))
    ds = data.load()
    assert len(ds.results[("PAR", 2025)]) == 34
    hn = ds.results[("PAR", 2025)]["ha-noi"]
    name, score, rank = next(r for r in rows if r[0] == "Hà Nội")
    assert (hn.score, hn.rank, hn.status) == (score, rank, "stated") and "added" in hn.sources[0]
    assert ds.average("PAR", 2025) == pytest.approx(np.mean([s for _, s, _ in rows]), abs=1e-3)
    assert "user/results/PAR-2025.csv" in ds.file_hashes
    assert data.shipped().results.get(("PAR", 2025)) is None  # the shipped view is untouched
    assert shipped_hashes() == before  # data/ is never written


def test_the_same_file_twice_changes_nothing(user_folder, tmp_path):
    rows = fabricated(2025, "PAR")
    first = add(tmp_path, rows)
    stamp = first.path.stat().st_mtime_ns
    again = add(tmp_path, rows, source="another source text")
    assert again.outcome == "unchanged" and first.path.stat().st_mtime_ns == stamp
    assert not (user_folder / "results" / "replaced").exists()


def test_a_year_already_added_needs_replace_which_keeps_the_old_version(user_folder, tmp_path):
    add(tmp_path, fabricated(2025, "PAR", seed=1), name="v1.csv")
    old = (user_folder / "results" / "PAR-2025.csv").read_bytes()
    with pytest.raises(InputError) as exc:
        add(tmp_path, fabricated(2025, "PAR", seed=2), name="v2.csv")
    assert "--replace" in str(exc.value) and (user_folder / "results" / "PAR-2025.csv").read_bytes() == old
    out = add(tmp_path, fabricated(2025, "PAR", seed=2), name="v2.csv", replace_existing=True)
    assert out.outcome == "replaced" and out.replaced_copy.read_bytes() == old
    assert out.replaced_copy.parent == user_folder / "results" / "replaced"
    assert {t.file for t in data.load().added} == {"v2.csv"}  # the replaced version is not loaded


def test_a_table_that_contradicts_shipped_published_figures(user_folder, tmp_path):
    ds = data.shipped()
    shipped = ds.results[("PAR", 2024)]["ha-noi"]
    rows = [(n, s, r) for n, s, r in fabricated(2024, "PAR")]
    with pytest.raises(InputError) as exc:
        add(tmp_path, rows, year=2024)
    assert any("--override-shipped" in str(i) for i in exc.value.issues)
    assert not (user_folder / "results" / "PAR-2024.csv").exists()
    add(tmp_path, rows, year=2024, over_shipped=True)
    merged = data.load()
    hn = merged.results[("PAR", 2024)]["ha-noi"]
    assert hn.score != shipped.score  # the added table is used …
    assert any(c.startswith("PAR 2024 ha-noi: the added table") for c in merged.clashes)  # … never silently


def test_a_partial_2025_table_reconstructs_like_a_partial_63_province_year(user_folder, tmp_path):
    add(tmp_path, fabricated(2025, "PAR", n=8), partial=True)
    assert 2025 in history.reconstructable_years("PAR")
    f = history.reconstruct("PAR", 2025, 300, 7)
    assert len(f.slugs) == 34 and f.scores.shape == (300, 34)
    published = {n: (s, r) for n, s, r in fabricated(2025, "PAR", n=8)}
    names = {s: data.load().units[s]["name_vi"] for s in f.slugs}
    for i, slug in enumerate(f.slugs):
        if names[slug] in published:
            assert np.all(f.scores[:, i] == published[names[slug]][0])
        else:
            assert f.scores[:, i].std() > 0  # drawn: reconstructed with its uncertainty
    lowest_published = min(s for s, _ in published.values())
    others = [i for i, s in enumerate(f.slugs) if names[s] not in published]
    assert np.all(f.scores[:, others] <= lowest_published + 1e-9)  # the 8 published are the top 8


def test_projections_start_from_the_newest_year_published_for_both_indices(user_folder, tmp_path):
    assert default_baseline_year() == 2024
    add(tmp_path, fabricated(2025, "PAR"))
    assert default_baseline_year() == 2024  # SIPAS 2025 not there yet
    add(tmp_path, fabricated(2025, "SIPAS"), index="SIPAS")
    assert default_baseline_year() == 2025 and Scenario().baseline_year == 2025
    assert [int(y) for y in Scenario().years][:1] == [2026]


def test_the_par_break_is_not_added_again_once_2025_is_published(user_folder, tmp_path):
    from simlib.engine import dynamics, field

    add(tmp_path, fabricated(2025, "PAR"))
    add(tmp_path, fabricated(2025, "SIPAS"), index="SIPAS")
    inn = field.innovations("PAR", 2025, 2027, 50, 1)
    assert inn.break_year is None  # the step into 2025 is observed now
    assert field.innovations("PAR", 2024, 2027, 50, 1).break_year == 2025
    u = dynamics.units("PAR", 2025)
    assert "before the 2025 break" in u.note and "pre-break estimate" in u.note
    c = dynamics.common("PAR", 2025)
    assert "not the step into 2025" in c.note
    assert dynamics.segments("PAR", 2025)[-1] == [2025]


@pytest.mark.slow
def test_the_fingerprints_include_the_added_rows(user_folder, tmp_path):
    from simlib.runs import render

    before_fp, before_hashes = summary_file.fingerprint(), dict(data.load().file_hashes)
    add(tmp_path, fabricated(2025, "PAR", n=6), partial=True)
    after_hashes = dict(data.load().file_hashes)
    assert summary_file.fingerprint() != before_fp  # the stored track record is stale for these data
    assert render.inputs_hash({}, 10, 1, "vi", before_hashes, "") != render.inputs_hash(
        {}, 10, 1, "vi", after_hashes, ""
    )
    assert paths.evaluation_summary() == user_folder / "evaluation_summary.csv"


def test_a_failed_write_leaves_the_folder_as_it_was(user_folder, tmp_path, monkeypatch):
    add(tmp_path, fabricated(2025, "PAR", seed=1), name="v1.csv")
    folder = user_folder / "results"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    table = resulttable.read(write_csv(tmp_path / "v2.csv", fabricated(2025, "PAR", seed=2)), "PAR", 2025)
    real_replace = os.replace

    def full_disk(src, dst, *a, **k):
        if str(dst).endswith("PAR-2025.csv"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        userdata.add(table, "v2", replace_existing=True)

    def interrupted(src, dst, *a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        userdata.add(table, "v2", replace_existing=True)
    monkeypatch.setattr(os, "replace", real_replace)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before  # no temporary left, the table as it was
    assert not list(folder.glob(".*"))


def test_a_damaged_user_table_is_named_with_its_row_and_column(user_folder, tmp_path):
    out = add(tmp_path, fabricated(2025, "PAR"))
    text = out.path.read_text(encoding="utf-8").replace(",ha-noi,", ",ha-noii,")
    out.path.write_text(text, encoding="utf-8")
    data.refresh()
    with pytest.raises(DataError) as exc:
        data.load()
    assert any("PAR-2025.csv row" in i.where and "unit_slug" in i.where for i in exc.value.issues)


def test_source_text_is_checked_and_stored_spreadsheet_safe(user_folder, tmp_path):
    table = resulttable.read(write_csv(tmp_path / "t.csv", fabricated(2025, "PAR")), "PAR", 2025)
    for bad in ("", "ESC \x1b[31m", "x" * 400, "line\nbreak"):
        with pytest.raises(InputError):
            userdata.add(table, bad)
    assert not (user_folder / "results" / "PAR-2025.csv").exists()
    out = userdata.add(table, '=HYPERLINK("http://x","y")')
    with out.path.open(encoding="utf-8", newline="") as f:
        assert next(csv.DictReader(f))["source"].startswith("'=")
