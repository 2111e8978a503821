"""Comparison groups and a composite development index: open, every score traceable to its indicators.

For a group of units and a year, each indicator is normalised within the group (min-max to 0–1, or z-score),
turned by its direction so that higher always means better (neutral indicators are left out: they are neither
better nor worse), averaged into one score per domain (weights per indicator, equal by default) and one overall
score (weights per domain, equal by default). A unit missing more than ``max_missing_share`` of the indicators
gets no score at all rather than a misleading one; its available values still show in the breakdown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from indicators.rules import RuleError
from indicators.translation import say

METHODS = ("minmax", "zscore", "percentile")
QUADRANTS = ("strong_improving", "strong_declining", "weak_improving", "weak_declining")
#: gmina type: the 7th digit of its TERYT code
GMINA_TYPES = {"urban": ("1",), "rural": ("2",), "urban_rural": ("3",)}
SIZE_CLASSES = {
    "lt5k": (0, 5_000),
    "5k-20k": (5_000, 20_000),
    "20k-50k": (20_000, 50_000),
    "50k-100k": (50_000, 100_000),
    "100k+": (100_000, float("inf")),
}


# --- comparison groups -----------------------------------------------------------------------------------------------


def group_members(
    con: duckdb.DuckDBPyConnection,
    level: str,
    group: str | None = None,
    *,
    year: int | None = None,
    population: str = "population",
) -> list[str]:
    """The codes of a comparison group at ``level``.

    ``None``/``all``: every unit of the level. ``type:urban|rural|urban_rural``: gminy of that TERYT type.
    ``county_cities``: cities with county rights (powiat part of the TERYT code 61–99). ``size:<class>``: population
    size class (see :data:`SIZE_CLASSES`) in ``year``. ``area:<id>``: a programme area's members.
    ``saved:<id>``: a group saved in the store (``etl.store.groups.save_group``). ``typology:<id>:<class>``: the units
    of a class of a ``[[typologies]]`` entry. ``A&B``: the units in both (e.g. ``typology:mrl:E&size:5k-20k``).
    ``list:CODE,CODE,...``: a typed list.
    """
    codes = [c for (c,) in con.execute("SELECT code FROM units WHERE level = ? ORDER BY code", [level]).fetchall()]
    if group in (None, "", "all"):
        return codes
    if "&" in group and not group.startswith("list:"):  # crossed groups: units in every part
        parts = [set(group_members(con, level, part, year=year, population=population)) for part in group.split("&")]
        return [c for c in codes if all(c in part for part in parts)]
    kind, _, arg = group.partition(":")
    if kind == "type":
        digits = GMINA_TYPES.get(arg)
        if digits is None:
            raise RuleError(say("err_gmina_type", types=", ".join(GMINA_TYPES), value=arg))
        return [c for c in codes if len(c) == 7 and c[6] in digits]
    if kind == "county_cities":
        return [c for c in codes if len(c) == 7 and c[2:4].isdigit() and int(c[2:4]) >= 61]
    if kind == "size":
        if arg not in SIZE_CLASSES:
            raise RuleError(say("err_size_class", classes=", ".join(SIZE_CLASSES), value=arg))
        low, high = SIZE_CLASSES[arg]
        if year is None:  # the latest population
            found = con.execute("SELECT max(year) FROM observations WHERE indicator_id = ?", [population]).fetchone()
            year = found[0] if found else None
        values = dict(
            con.execute(
                "SELECT unit_code, value FROM observations WHERE indicator_id = ? AND year = ?", [population, year]
            ).fetchall()
        )
        return [c for c in codes if values.get(c) is not None and low <= values[c] < high]
    if kind == "area":
        members = {c for (c,) in con.execute("SELECT unit_code FROM area_members WHERE area_id = ?", [arg]).fetchall()}
        if not members:
            raise RuleError(say("err_no_area", area=arg))
        return [c for c in codes if c in members]
    if kind == "saved":
        members = {
            c
            for (c,) in con.execute(
                "SELECT unit_code FROM unit_groups WHERE group_id = ? AND level = ?", [arg, level]
            ).fetchall()
        }
        if not members:
            raise RuleError(say("err_no_group", level=level, group=arg))
        return [c for c in codes if c in members]
    if kind == "typology":
        typology, _, wanted_class = arg.partition(":")
        classed = con.execute(
            "SELECT code FROM unit_classes WHERE typology_id = ? AND class = ?", [typology, wanted_class]
        ).fetchall()
        if not classed:
            raise RuleError(say("err_no_class_units", value=wanted_class, typology=typology))
        members = {c for (c,) in classed}
        return [c for c in codes if c in members]
    if kind == "list":
        wanted = [c.strip() for c in arg.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in set(codes)]
        if unknown:
            raise RuleError(say("err_not_level_units", level=level, codes=", ".join(unknown)))
        return wanted
    raise RuleError(say("err_unknown_group", group=group, sizes="|".join(SIZE_CLASSES)))


# --- the index -------------------------------------------------------------------------------------------------------


@dataclass
class IndexSpec:
    indicators: list[str] | None = None  # default: every non-neutral indicator with data for the group
    method: str = "minmax"
    weights: dict[str, float] = field(default_factory=dict)  # indicator -> weight (default 1)
    domain_weights: dict[str, float] = field(default_factory=dict)  # domain -> weight (default 1)
    max_missing_share: float = 0.25
    outliers: bool = False  # treat outliers by the COINr rule (see treat_outliers) before normalising

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise RuleError(say("err_normalisation", methods=", ".join(METHODS), value=self.method))


@dataclass
class IndexResult:
    year: int
    codes: list[str]
    scores: pd.DataFrame  # code, <domain> scores, overall, rank, missing_share, note
    breakdown: pd.DataFrame  # code, indicator_id, domain, direction, value, normalised, weight
    domains: list[str]
    treated: pd.DataFrame = field(default_factory=pd.DataFrame)  # code, indicator_id, original, treated, treatment


def _catalogue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT id, domain, direction, target_low, target_high FROM indicators").df().set_index("id")


def distance_from_target(values: pd.Series | np.ndarray, low: float, high: float) -> pd.Series | np.ndarray:
    """How far each value is from the target range [low, high] (0 inside it): direction "target" scores this,
    lower being better."""
    return np.maximum(np.maximum(low - values, values - high), 0)


def _scored(values: pd.Series, catalogue: pd.DataFrame, indicator: str) -> tuple[pd.Series, str]:
    """Values as the index compares them and their direction: a target indicator becomes minus its distance from
    the target (higher is better); the others stay as they are."""
    direction = catalogue.at[indicator, "direction"]
    if direction != "target":
        return values, direction
    low, high = catalogue.at[indicator, "target_low"], catalogue.at[indicator, "target_high"]
    return -distance_from_target(values, float(low), float(high)), "higher_is_better"


#: The EU JRC's COINr rule: an indicator whose values have |skewness| above 2 and (excess) kurtosis above 3.5 has
#: outliers; up to 5 of them are winsorised, and when that is not enough the values are log-transformed instead.
OUTLIER_SKEW = 2.0
OUTLIER_KURTOSIS = 3.5
MAX_WINSORISED = 5


def _skewed(values: pd.Series) -> bool:
    present = values.dropna()
    if len(present) < 4:
        return False
    skew, kurt = present.skew(), present.kurt()  # sample skewness and excess kurtosis (Fisher), as pandas gives
    return bool(abs(skew) > OUTLIER_SKEW and kurt > OUTLIER_KURTOSIS)


def treat_outliers(values: pd.Series) -> tuple[pd.Series, str]:
    """``values`` with outliers treated by the COINr rule, and the treatment: ``""`` (none needed), ``winsorised``
    (each round the most extreme value on the long tail takes the next value's, until the rule no longer holds, at
    most :data:`MAX_WINSORISED` values) or ``log`` (``log(x - min + 1)``, mirrored for a left tail, when winsorising
    that many was not enough)."""
    if not _skewed(values):
        return values, ""
    right = values.dropna().skew() > 0
    out = values.astype(float).copy()
    changed: set = set()
    while _skewed(out) and len(changed) < MAX_WINSORISED:
        present = out.dropna()
        extreme = present.max() if right else present.min()
        rest = present[present != extreme]
        if rest.empty:
            break
        nearest = rest.max() if right else rest.min()
        hit = out.index[out == extreme]
        if len(changed | set(hit)) > MAX_WINSORISED:
            break
        out[hit] = nearest
        changed |= set(hit)
    if not _skewed(out):
        return out, "winsorised"
    if right:
        return np.log(values - values.min() + 1), "log"
    return -np.log(values.max() - values + 1), "log"


def normalise(values: pd.Series, method: str, direction: str) -> pd.Series:
    """Within-group normalisation turned so that higher is better. All equal: 0.5 (min-max, percentile) or 0
    (z-score). ``percentile``: the share of the other units a unit is above (ties share the average rank), 0 for the
    lowest and 1 for the highest, as Sweden's PlatsIndex ranks municipalities."""
    present = values.dropna()
    if method == "percentile":
        if len(present) < 2:
            out = values.where(values.isna(), 0.5)
        else:
            out = (values.rank(method="average") - 1) / (len(present) - 1)
        return 1 - out if direction == "lower_is_better" else out
    if method == "minmax":
        low, high = present.min(), present.max()
        out = (values - low) / (high - low) if high > low else values.where(values.isna(), 0.5)
        return 1 - out if direction == "lower_is_better" else out
    std = present.std(ddof=0)
    out = (values - present.mean()) / std if std > 0 else values.where(values.isna(), 0.0)
    return -out if direction == "lower_is_better" else out


def composite_index(
    con: duckdb.DuckDBPyConnection, codes: list[str], year: int, spec: IndexSpec | None = None
) -> IndexResult:
    spec = spec or IndexSpec()
    if len(codes) < 2:
        raise RuleError(say("err_group_two"))
    catalogue = _catalogue(con)
    observed = con.execute(
        "SELECT unit_code AS code, indicator_id, value FROM observations "
        "WHERE year = ? AND unit_code IN (SELECT unnest(?::VARCHAR[]))",
        [year, codes],
    ).df()
    wanted = spec.indicators or sorted(set(observed["indicator_id"]))
    unknown = [i for i in wanted if i not in catalogue.index]
    if unknown:
        raise RuleError(say("err_not_in_catalogue", indicators=", ".join(unknown)))
    used = [i for i in wanted if catalogue.at[i, "direction"] != "neutral"]
    if not used:
        raise RuleError(say("err_no_directions"))
    wide = observed.pivot_table(index="code", columns="indicator_id", values="value", aggfunc="first")
    wide = wide.reindex(index=codes, columns=used)
    parts = []
    treated_parts = []
    normalised = pd.DataFrame(index=codes)
    for indicator in used:
        direction = catalogue.at[indicator, "direction"]
        column, scored_direction = _scored(wide[indicator].astype(float), catalogue, indicator)
        if spec.outliers:
            before = wide[indicator].astype(float)
            column, treatment = treat_outliers(column)
            changed = before.notna() & (before != column)
            if treatment and changed.any():
                treated_parts.append(
                    pd.DataFrame(
                        {
                            "code": before.index[changed],
                            "indicator_id": indicator,
                            "original": before[changed].to_numpy(float),
                            "treated": column[changed].to_numpy(float),
                            "treatment": treatment,
                        }
                    )
                )
        normalised[indicator] = normalise(column, spec.method, scored_direction)
        parts.append(
            pd.DataFrame(
                {
                    "code": codes,
                    "indicator_id": indicator,
                    "domain": catalogue.at[indicator, "domain"],
                    "direction": direction,
                    "value": wide[indicator].to_numpy(),
                    "normalised": normalised[indicator].to_numpy(),
                    "weight": spec.weights.get(indicator, 1.0),
                }
            )
        )
    breakdown = pd.concat(parts, ignore_index=True)
    domains = sorted(breakdown["domain"].unique())
    missing_share = wide.isna().mean(axis=1)
    scores = pd.DataFrame({"code": codes})
    for domain in domains:
        members = [i for i in used if catalogue.at[i, "domain"] == domain]
        weights = np.array([spec.weights.get(i, 1.0) for i in members], dtype=float)
        block = normalised[members].to_numpy(dtype=float)
        mask = ~np.isnan(block)
        total = (np.where(mask, block, 0.0) * weights).sum(axis=1)
        weight_sum = (mask * weights).sum(axis=1)
        scores[domain] = np.where(weight_sum > 0, total / np.where(weight_sum > 0, weight_sum, 1), np.nan)
    dw = np.array([spec.domain_weights.get(d, 1.0) for d in domains], dtype=float)
    block = scores[domains].to_numpy(dtype=float)
    mask = ~np.isnan(block)
    weight_sum = (mask * dw).sum(axis=1)
    scores["overall"] = np.where(
        weight_sum > 0, (np.where(mask, block, 0.0) * dw).sum(axis=1) / np.where(weight_sum > 0, weight_sum, 1), np.nan
    )
    scores["missing_share"] = missing_share.to_numpy()
    too_sparse = scores["missing_share"] > spec.max_missing_share + 1e-12
    scores.loc[too_sparse, [*domains, "overall"]] = np.nan
    scores["note"] = np.where(
        too_sparse,
        [
            f"missing {m:.0%} of the indicators (more than {spec.max_missing_share:.0%}): no score"
            for m in scores["missing_share"]
        ],
        "",
    )
    scores["rank"] = scores["overall"].rank(ascending=False, method="min").astype("Int64")
    columns = ["code", "indicator_id", "original", "treated", "treatment"]
    treated = pd.concat(treated_parts, ignore_index=True) if treated_parts else pd.DataFrame(columns=columns)
    return IndexResult(year, list(codes), scores, breakdown, domains, treated)


def quartiles(ranks: pd.Series) -> pd.Series:
    """Quartile of each rank among the ranked (1 = the best quarter, 4 = the weakest; missing stays missing)."""
    ranked = ranks.dropna()
    of = len(ranked)
    return ranks.map(lambda r: pd.NA if pd.isna(r) else min(4, max(1, -(-4 * int(r) // of)))).astype("Int64")


def level_and_change(
    con: duckdb.DuckDBPyConnection, codes: list[str], year: int, span: int, spec: IndexSpec | None = None
) -> pd.DataFrame:
    """Each unit's overall score now, its change since ``year - span``, and its quadrant.

    Strong = at or above the group's median score this year; improving = the score rose. Units without a score in
    either year get no quadrant.
    """
    now = composite_index(con, codes, year, spec).scores.set_index("code")["overall"]
    then = composite_index(con, codes, year - span, spec).scores.set_index("code")["overall"]
    out = pd.DataFrame(
        {"code": codes, "score": now.reindex(codes).to_numpy(), "score_before": then.reindex(codes).to_numpy()}
    )
    out["change"] = out["score"] - out["score_before"]
    median = out["score"].median()
    strong = out["score"] >= median
    improving = out["change"] > 0
    quadrant = np.select(
        [strong & improving, strong & ~improving, ~strong & improving, ~strong & ~improving],
        list(QUADRANTS),
        default="",
    )
    out["quadrant"] = np.where(out["score"].isna() | out["change"].isna(), "", quadrant)
    return out


def comparison_table(
    con: duckdb.DuckDBPyConnection, chosen: list[str], group: list[str], year: int, indicators: list[str] | None = None
) -> pd.DataFrame:
    """Per chosen unit and indicator: the value, its rank in the group (1 = best; by value for neutral ones), the
    group average, the difference from it, and whether that is better, worse or neutral given the direction.

    A chosen unit outside the group is ranked where it would stand among the group's units (``in_group`` False:
    "3 of 4 + this one"); the group average is the group's alone. Ranks are whole numbers (``Int64``)."""
    catalogue = _catalogue(con)
    members = list(dict.fromkeys([*group, *chosen]))
    observed = con.execute(
        "SELECT unit_code AS code, indicator_id, value, flag FROM observations "
        "WHERE year = ? AND unit_code IN (SELECT unnest(?::VARCHAR[]))",
        [year, members],
    ).df()
    if indicators:
        observed = observed[observed["indicator_id"].isin(indicators)]
    rows = []
    for indicator, block in observed.groupby("indicator_id", sort=True):
        direction = catalogue.at[indicator, "direction"] if indicator in catalogue.index else "neutral"
        in_group = block[block["code"].isin(group)].dropna(subset=["value"])
        average = in_group["value"].mean() if len(in_group) else np.nan
        # what ranks compare: the value, or for a target indicator minus its distance from the target
        scored = in_group.set_index("code")["value"]
        rank_direction = direction
        if direction == "target":
            scored, rank_direction = _scored(scored, catalogue, indicator)
        ranked = scored.rank(ascending=rank_direction == "lower_is_better", method="min")
        group_values = scored.to_numpy()
        values = block.set_index("code")
        for code in chosen:
            value = values.at[code, "value"] if code in values.index else np.nan
            difference = value - average if pd.notna(value) and pd.notna(average) else np.nan
            own = value
            if direction == "target" and pd.notna(value):
                own = float(_scored(pd.Series([value]), catalogue, indicator)[0].iloc[0])
            if direction == "target" and pd.notna(own) and len(group_values):
                gap = own - group_values.mean()  # closer to the target than the group on average: better
                verdict = "neutral" if gap == 0 else "better" if gap > 0 else "worse"
            elif pd.isna(difference) or direction == "neutral" or difference == 0:
                verdict = "neutral" if pd.notna(difference) else "no_data"
            else:
                verdict = "better" if (difference > 0) == (direction == "higher_is_better") else "worse"
            rows.append(
                {
                    "code": code,
                    "indicator_id": indicator,
                    "domain": catalogue.at[indicator, "domain"] if indicator in catalogue.index else "",
                    "direction": direction,
                    "value": value,
                    "flag": values.at[code, "flag"] if code in values.index else None,
                    "rank": _rank(code, own, ranked, group_values, rank_direction),
                    "of": len(in_group),
                    "in_group": code in ranked.index,
                    "group_average": average,
                    "difference": difference,
                    "verdict": verdict,
                }
            )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["rank"] = frame["rank"].astype("Int64")
        ratios = group_ratios(con, group, year, sorted(frame["indicator_id"].unique()))
        frame["group_ratio"] = frame["indicator_id"].map(ratios).astype(float)
    return frame


def group_ratios(
    con: duckdb.DuckDBPyConnection, group: list[str], year: int, indicators: list[str]
) -> dict[str, float]:
    """The group's value as one place, where the catalogue says how (Scotland's LGBF "ratio of sums"): a derived
    rate is its numerator's sum over its denominator's (``derived = {kind = "per_1000", of, per}``), a rate
    declared with ``aggregate = "weighted_mean"`` is weighted by its ``weight`` (population, say). Counts and
    indicators declaring neither have none: only the mean of units applies to them."""
    from indicators.derived import FACTORS

    declared = con.execute(
        "SELECT id, derivation, aggregate, aggregate_weight FROM indicators WHERE id IN (SELECT unnest(?::VARCHAR[]))",
        [indicators],
    ).fetchall()
    out: dict[str, float] = {}
    for indicator, derivation, aggregate, weight in declared:
        spec = json.loads(derivation) if derivation else None
        if spec and spec.get("kind") in FACTORS:
            row = con.execute(
                "SELECT sum(a.value) / nullif(sum(b.value), 0) FROM observations a JOIN observations b"
                " ON b.unit_code = a.unit_code AND b.year = a.year AND b.indicator_id = ?"
                " WHERE a.indicator_id = ? AND a.year = ? AND a.unit_code IN (SELECT unnest(?::VARCHAR[]))"
                " AND a.value IS NOT NULL AND b.value IS NOT NULL",
                [spec["per"], spec["of"], year, group],
            ).fetchone()
            if row and row[0] is not None:
                out[indicator] = float(row[0]) * FACTORS[spec["kind"]]
        elif aggregate == "weighted_mean" and weight:
            row = con.execute(
                "SELECT sum(v.value * w.value) / nullif(sum(w.value), 0) FROM observations v JOIN observations w"
                " ON w.unit_code = v.unit_code AND w.year = v.year AND w.indicator_id = ?"
                " WHERE v.indicator_id = ? AND v.year = ? AND v.unit_code IN (SELECT unnest(?::VARCHAR[]))"
                " AND v.value IS NOT NULL AND w.value IS NOT NULL",
                [weight, indicator, year, group],
            ).fetchone()
            if row and row[0] is not None:
                out[indicator] = float(row[0])
    return out


def _rank(code: str, value: float, ranked: pd.Series, group_values: np.ndarray, direction: str) -> int | None:
    """The unit's rank among the group (1 = best); for a unit outside it, where it would stand among them."""
    if code in ranked.index:
        return int(ranked[code])
    if pd.isna(value):
        return None
    better = group_values < value if direction == "lower_is_better" else group_values > value
    return int(better.sum()) + 1
