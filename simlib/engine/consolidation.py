"""The published index results consolidated: one ``Published`` per index, year and province from the rows
of the sources, a disagreement resolved by its written rule (``conflict_rules.csv``) or the default rule,
and every clash listed; nothing is dropped silently. Covariates likewise, one score per province."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

STATUS_PRIORITY = {"stated": 0, "derived": 1, "conflict": 2}


@dataclass(frozen=True)
class Published:
    """One province's consolidated published result for one index and year."""

    slug: str
    score: float | None  # %, None where only the rank is published
    rank: int | None  # 1 = best, None where only the score is published
    status: str  # stated | derived (best status among the agreeing rows)
    sources: tuple[str, ...]


def consolidate_covariates(rows: list[dict], clashes: list[str]) -> dict[tuple[str, int], dict[str, float]]:
    """Score per (covariate, year) and province; rank-only rows are context. Two different
    scores for one province keep the first row's and are listed in ``clashes``."""
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for r in rows:
        if r["score"] is None:
            continue
        seen = out[(r["index"], r["year"])]
        slug = r["province_slug"]
        if slug in seen and abs(seen[slug] - r["score"]) > 1e-6:
            clashes.append(
                f"covariate {r['index']} {r['year']} {slug}: scores {seen[slug]:g} and "
                f"{r['score']:g} (row {r['_row']}); kept the first"
            )
            continue
        seen.setdefault(slug, r["score"])
    return dict(out)


def _fmt(x) -> str:
    return "—" if x is None else f"{x:g}"


@dataclass(frozen=True)
class YearResults:
    """One index and year consolidated: each province's ``Published`` and the clashes met, those
    between the sources of one province and those between provinces' ranks (``_check_order``)."""

    entries: dict[str, Published]
    clashes: tuple[str, ...]
    order_clashes: tuple[str, ...]


def consolidate(rows: list[dict], rules: list[dict], clashes: list[str]) -> dict:
    """One ``Published`` per (index, year, province), clashes resolved and reported.

    Rule order: a row of ``conflict_rules.csv``; else the value all rows agree on;
    else the best status (stated > derived > conflict), then the most sources.
    Then per index and year: two provinces on one rank, or a better rank with a
    lower score, keep the better-supported rank and drop the other's rank.
    """
    return assemble(consolidate_years(rows, rules), clashes)


def consolidate_years(rows: list[dict], rules: list[dict]) -> dict[tuple[str, int], YearResults]:
    """``consolidate`` year by year, (index, year) in order: each index-year depends on its own rows alone."""
    rule_for = {(r["index"], r["year"], r["province_slug"]): r for r in rules}
    by_year: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in rows:
        by_year[(r["index"], r["year"])].append(r)
    return {key: _consolidate_year(key, by_year[key], rule_for) for key in sorted(by_year)}


def assemble(years: dict[tuple[str, int], YearResults], clashes: list[str]) -> dict:
    """The consolidated results of ``years`` (``consolidate_years``); their clashes are added to
    ``clashes`` as ``consolidate`` lists them (the sources' clashes, then the ranks')."""
    for part in years.values():
        clashes.extend(part.clashes)
    for part in years.values():
        clashes.extend(part.order_clashes)
    return {key: part.entries for key, part in years.items()}


def _consolidate_year(key: tuple[str, int], rows: list[dict], rule_for: dict) -> YearResults:
    index, year = key
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["province_slug"]].append(r)
    entries: dict[str, Published] = {}
    clashes: list[str] = []
    for slug, group in sorted(groups.items()):
        sources = tuple(dict.fromkeys(r["source"] for r in group))
        best_status = min((r["status"] for r in group), key=STATUS_PRIORITY.__getitem__)
        status = "derived" if best_status == "conflict" else best_status
        scores = {r["score_pct"] for r in group if r["score_pct"] is not None}
        ranks = {r["rank"] for r in group if r["rank"] is not None}
        if (index, year, slug) in rule_for:
            rule = rule_for[(index, year, slug)]
            score, rank = rule["score_pct"], rule["rank"]
            if len(scores) > 1 or len(ranks) > 1:
                clashes.append(
                    f"{index} {year} {slug}: sources give scores {sorted(scores)} and ranks "
                    f"{sorted(ranks)}; written rule: {_fmt(score)} / rank {_fmt(rank)} "
                    f"({rule['rule']})"
                )
        else:
            score = _pick(group, "score_pct")
            rank = _pick(group, "rank")
            if len(scores) > 1 or len(ranks) > 1:
                clashes.append(
                    f"{index} {year} {slug}: sources give scores {sorted(scores)} and ranks "
                    f"{sorted(ranks)} with no written rule; default rule (best status, then "
                    f"most sources) keeps {_fmt(score)} / rank {_fmt(rank)}"
                )
        entries[slug] = Published(slug, score, rank, status, sources)
    order_clashes: list[str] = []
    _check_order(index, year, entries, order_clashes)
    return YearResults(entries, tuple(clashes), tuple(order_clashes))


def _pick(group: list[dict], column: str):
    if len(group) == 1:  # one row (most provinces): its value
        return group[0][column]
    values = [r for r in group if r[column] is not None]
    if not values:
        return None
    support = Counter(r[column] for r in values)
    return min(values, key=lambda r: (STATUS_PRIORITY[r["status"]], -support[r[column]]))[column]


def _support(p: Published) -> tuple:
    return (STATUS_PRIORITY[p.status], -len(p.sources), p.score is None)


def _check_order(index: str, year: int, entries: dict[str, Published], clashes: list[str]) -> None:
    by_rank: dict[int, list[Published]] = defaultdict(list)
    for p in entries.values():
        if p.rank is not None:
            by_rank[p.rank].append(p)
    for rank, same in by_rank.items():
        if len(same) > 1:
            keep = min(same, key=_support)
            for p in same:
                if p is not keep:
                    entries[p.slug] = Published(p.slug, p.score, None, p.status, p.sources)
            clashes.append(
                f"{index} {year}: rank {rank} given to {', '.join(p.slug for p in same)}; "
                f"kept for {keep.slug} (best supported), dropped for the others"
            )
    ranked = sorted(
        ((p.rank, p.score, p) for p in entries.values() if p.rank is not None and p.score is not None),
        key=lambda ranked_entry: ranked_entry[0],
    )
    for (_, better_score, better), (_, worse_score, worse) in zip(ranked, ranked[1:]):
        if better_score < worse_score:
            drop = max((better, worse), key=_support)
            entries[drop.slug] = Published(drop.slug, drop.score, None, drop.status, drop.sources)
            clashes.append(
                f"{index} {year}: {better.slug} rank {better.rank} scores {better.score:g} "
                f"below {worse.slug} rank {worse.rank} at {worse.score:g}; dropped the rank "
                f"of {drop.slug} (less supported)"
            )
