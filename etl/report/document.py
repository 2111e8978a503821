"""The profile as a document: its texts in the reader's language and numbers written as that language writes them
(Babel), charts as SVG, typeset by Typst (the ``typst`` package: a self-contained compiler, nothing downloaded)
into an A4 PDF with selectable text, a table of contents and page numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.report import charts
from etl.report.profile import Profile, finite, quartile
from etl.store.lake import current_snapshot, is_lake, snapshots
from indicators.composite import SIZE_CLASSES
from indicators.formatting import format_moment, format_money, format_number
from indicators.translation import Messages

MESSAGES = Messages(Path(__file__).resolve().parent / "locale", "report")
TEMPLATE = Path(__file__).resolve().parent / "profile.typ"
#: One-letter words that Polish typography keeps on the line with the next word.
_ORPHANS = re.compile(r"(?<![\w-])([aiouwzAIOUWZ]|[0-9]{1,2})\s+(?=\S)")


_UNIT_AFTER_NUMBER = re.compile(r"(\d)\s+(?=r\.|zł|tys\.|mln|mld|%|‰|os\.)")


def tie_orphans(text: str, lang: str) -> str:
    """Polish typography: a non-breaking space after one-letter words (``w\u00a0gminie``) and between a number and
    what follows it (``2019\u00a0r.``, ``12\u00a0zł``)."""
    if lang != "pl":
        return text
    return _UNIT_AFTER_NUMBER.sub(lambda m: m.group(1) + "\u00a0", _ORPHANS.sub(lambda m: m.group(1) + "\u00a0", text))


def _decimals(values: list[float], unit: str) -> int:
    span = max((abs(v) for v in values), default=0.0)
    if unit.strip() == "%":
        return 1
    return 0 if span >= 1000 else 1 if span >= 10 else 2


def _group_label(con: duckdb.DuckDBPyConnection, group: str, t: Callable[..., str], lang: str) -> str:
    if "&" in group and not group.startswith("list:"):
        return " × ".join(_group_label(con, part, t, lang) for part in group.split("&"))
    kind, _, arg = group.partition(":")
    if kind == "typology":
        typology, _, wanted = arg.partition(":")
        row = con.execute(
            "SELECT name_pl, name_en, name_lt, classes FROM typologies WHERE id = ?", [typology]
        ).fetchone()
        if row is None:
            return group
        name = {"pl": row[0], "en": row[1] or row[0], "lt": row[2] or row[1] or row[0]}[lang]
        by_lang = json.loads(row[3] or "{}")
        words = next((by_lang[k][wanted] for k in (lang, "en", "pl") if wanted in (by_lang.get(k) or {})), None)
        return t("group_typology", name=name, cls=wanted, words=f" – {words}" if words else "")

    if kind in ("", "all"):
        return t("group_all")
    if kind == "saved":
        row = con.execute("SELECT any_value(name) FROM unit_groups WHERE group_id = ?", [arg]).fetchone()
        return t("group_saved", name=row[0] if row and row[0] else arg)
    if kind == "area":
        row = con.execute("SELECT name FROM areas WHERE id = ?", [arg]).fetchone()
        return t("group_area", name=row[0] if row else arg)
    if kind == "county_cities":
        return t("group_county_cities")
    if kind == "type" and MESSAGES.has(f"group_type_{arg}"):
        return t(f"group_type_{arg}")
    if kind == "size" and arg in SIZE_CLASSES:
        low, high = SIZE_CLASSES[arg]
        if high == float("inf"):
            return t("group_size_over", low=format_number(low, lang, 0))
        return t("group_size", low=format_number(low, lang, 0), high=format_number(high, lang, 0))
    if kind == "list":
        return t("group_list")
    return t("group_other", group=group)


def _version(con: duckdb.DuckDBPyConnection, lang: str) -> tuple[str, str]:
    """(where the data are from, which version and when) for the method section and the footer."""
    if is_lake(con):
        number = current_snapshot(con)
        when = next((s["time"] for s in snapshots(con) if s["snapshot"] == number), "")
        moment = format_moment(dt.datetime.strptime(when, "%Y-%m-%d %H:%M:%S"), lang) if when else "–"
        return "DuckLake", MESSAGES.text("version_snapshot", lang, number=number, time=moment)
    row = con.execute(
        "SELECT run_id, coalesce(finished_at, started_at) FROM runs WHERE status = 'ok' ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return "DuckDB", "–"
    return "DuckDB", MESSAGES.text("version_run", lang, number=row[0], time=format_moment(row[1], lang))


def document_data(con: duckdb.DuckDBPyConnection, profile: Profile, lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Everything the template shows, as text in ``lang``, and the sparklines (file name -> SVG) it refers to."""

    def t(key: str, **fields: object) -> str:
        return MESSAGES.text(key, lang, **fields)

    def num(value: object, decimals: int = 2) -> str:
        number = finite(value)
        return "–" if number is None else format_number(number, lang, decimals)

    cat = profile.catalogue
    name_col = f"name_{lang}" if f"name_{lang}" in cat.columns else "name_en"
    level_name = _level_name(con, profile.level, lang)
    outside = not profile.in_group

    def rank_text(rank: object, of: int) -> str:
        if rank is None or pd.isna(rank):
            return "–"
        return t("rank_of_outside" if outside else "rank_of", rank=int(rank), of=of)  # type: ignore[call-overload]

    def quartile_text(rank: object, of: int) -> str:
        q = quartile(None if rank is None or pd.isna(rank) else int(rank), of)  # type: ignore[call-overload]
        return "–" if q is None else t("quartile_n", q=q)

    placed = profile.placed.set_index("code") if not profile.placed.empty else pd.DataFrame()
    scores = []
    for column in ["overall", *profile.domains]:
        value, rank, of = profile.score_of(column)
        _then, rank_then, of_then = profile.score_of(column, before=True)
        change = "–"
        if column == "overall" and profile.unit in placed.index:
            change = num(placed.at[profile.unit, "change"], 3)
        scores.append(
            {
                "label": t("overall") if column == "overall" else t(f"domain_{column}"),
                "score": num(value, 3),
                "rank": rank_text(rank, of),
                "quartile": quartile_text(rank, of),
                "change": change,
                "rank_before": rank_text(rank_then, of_then) if profile.span else "–",
                "quartile_before": quartile_text(rank_then, of_then) if profile.span else "–",
            }
        )
    quadrant = str(placed.at[profile.unit, "quadrant"]) if profile.unit in placed.index else ""
    facts = profile.table.set_index("indicator_id") if not profile.table.empty else pd.DataFrame()
    domains = []
    sparks: dict[str, str] = {}
    for domain in sorted(facts["domain"].dropna().unique()) if not facts.empty else []:
        rows = []
        block = facts[facts["domain"] == domain]
        block = block.assign(_name=[str(cat.at[i, name_col]) if i in cat.index else i for i in block.index])
        for indicator, row in block.sort_values("_name").iterrows():
            unit_text = str(cat.at[indicator, "unit"]) if indicator in cat.index else ""
            own = profile.series[profile.series["indicator_id"] == indicator]
            decimals = _decimals(
                [v for v in (finite(row["value"]), finite(row["group_average"])) if v is not None], unit_text
            )
            spark = ""
            if len(own) >= 2:
                spark = f"spark-{len(sparks)}.svg"
                sparks[spark] = charts.sparkline(own["year"].astype(int).tolist(), own["value"].astype(float).tolist())
            difference = finite(row["difference"])
            rows.append(
                {
                    "name": row["_name"],
                    "value": num(row["value"], decimals),
                    "unit": unit_text,
                    "rank": rank_text(row["rank"], int(row["of"])),
                    "quartile": quartile_text(row["rank"], int(row["of"])),
                    "average": num(row["group_average"], decimals),
                    "ratio": num(row["group_ratio"], decimals) if finite(row.get("group_ratio")) is not None else "",
                    "difference": "–"
                    if difference is None
                    else ("+" if difference > 0 else "") + num(difference, decimals),
                    "spark": spark,
                    "direction": t(f"dir_{row['direction']}"),
                }
            )
        domains.append({"label": t(f"domain_{domain}"), "rows": rows})

    def strength(s) -> dict[str, str]:
        unit_text = str(cat.at[s.indicator, "unit"]) if s.indicator in cat.index else ""
        decimals = _decimals([v for v in (s.value, s.group_average) if v is not None], unit_text)
        return {
            "name": str(cat.at[s.indicator, name_col]) if s.indicator in cat.index else s.indicator,
            "line": t(
                "strength_line",
                value=f"{num(s.value, decimals)} {unit_text}".strip(),
                average=num(s.group_average, decimals),
                rank=rank_text(s.rank, s.of),
            ),
        }

    store_kind, version = _version(con, lang)
    before = profile.year - profile.span
    data: dict[str, Any] = {
        "lang": lang,
        "labels": {key: t(key) for key, text in MESSAGES.keys("en").items() if "{" not in str(text)},
        "synthetic": profile.meta.get("synthetic") == "true",
        "synthetic_mark": t("synthetic"),
        "title": t("title", name=profile.name),
        "subtitle": t(
            "subtitle",
            level=level_name,
            code=profile.unit,
            parent=t("parent", name=profile.parent) if profile.parent else "",
            year=profile.year,
        ),
        "compared": t("compared_with", group=_group_label(con, profile.group, t, lang), n=len(profile.members)),
        "outside_note": t("outside_group") if outside else "",
        "population": t("population_line", year=profile.population_year, n=format_number(profile.population, lang, 0))
        if profile.population is not None
        else "",
        "map_caption": t("map_caption"),
        "areas": [
            [name, t(f"area_kind_{kind}") if MESSAGES.has(f"area_kind_{kind}") else kind, t(f"area_{whole}")]
            for name, kind, whole in profile.areas
        ],
        "scores": scores,
        "change_heading": t("col_change", year=before) if profile.span else t("col_change_plain"),
        "before_heading": t("col_rank_in", year=before) if profile.span else t("col_rank_in", year="–"),
        "quadrant_text": t("quadrant_text", year=before, quadrant=t(f"quadrant_{quadrant or 'none'}"))
        if profile.span
        else "",
        "has_level_change": bool(profile.span) and not profile.placed.empty,
        "level_change_caption": t("chart_level_change", year=profile.year, before=before),
        "strengths_note": t("strengths_note"),
        "strengths": [strength(s) for s in profile.strengths],
        "weaknesses": [strength(s) for s in profile.weaknesses],
        "domains": domains,
        "proposals": _proposals(con, profile, lang, t),
        "method": [
            t("method_normalisation", method=t(f"method_{profile.spec.method}")),
            t(
                "method_weights",
                weights=", ".join(f"{t('domain_' + d)} {num(w, 1)}" for d, w in profile.spec.domain_weights.items())
                or "–",
                missing=f"{profile.spec.max_missing_share:.0%}",
            ),
            _outliers_line(profile, lang, t, name_col, num),
            t("method_ranks"),
            t("method_ratio"),
        ],
        "members": [f"{profile.names.get(c, c)} ({c})" for c in profile.members],
        "sources": [
            [str(s), str(lic or "–")]
            for s, lic in (profile.sources.itertuples(index=False) if profile.sources is not None else [])
        ],
        "version_line": t("data_version", store=store_kind, version=version),
        "footer": t("footer", date=version),
    }
    return _tied(data, lang), sparks


def _outliers_line(profile: Profile, lang: str, t: Callable[..., str], name_col: str, num: Callable) -> str:
    if not profile.spec.outliers:
        return t("method_outliers")
    changed = [
        f"{profile.names.get(r.code, r.code)}, {profile.catalogue.at[r.indicator_id, name_col]}: "
        f"{num(r.original)} → {num(r.treated)} ({t('treatment_' + r.treatment)})"
        for r in profile.treated.itertuples()
    ]
    return t("method_outliers_on", changed="; ".join(changed) or t("none"))


def _level_name(con: duckdb.DuckDBPyConnection, level: str, lang: str) -> str:
    column = {"pl": "name_pl", "lt": "coalesce(name_lt, name_en)"}.get(lang, "name_en")
    row = con.execute(f"SELECT {column} FROM levels WHERE level = ?", [level]).fetchone()
    return str(row[0]) if row and row[0] else level


def _proposals(con: duckdb.DuckDBPyConnection, profile: Profile, lang: str, t: Callable[..., str]) -> dict[str, Any]:
    frame = profile.proposals
    if frame is None:
        return {"state": "not_loaded"}
    if frame.empty:
        return {"state": "none"}
    goal_col = {"pl": "name_pl", "lt": "coalesce(name_lt, name_en, name_pl)"}.get(lang, "coalesce(name_en, name_pl)")
    goals = dict(con.execute(f"SELECT code, {goal_col} FROM goals").fetchall())
    cost = frame["cost_pln"].dropna()
    per1000 = len(frame) / profile.population * 1000 if profile.population else None
    by_status = frame["status"].value_counts()
    by_goal = frame["goal_code"].fillna("").value_counts()
    return {
        "state": "some",
        "count": format_number(len(frame), lang, 0),
        "cost": format_money(float(cost.sum()), lang) if len(cost) else "–",
        "per1000": "–" if per1000 is None else format_number(per1000, lang, 2),
        "by_status": [[t(f"status_{s}"), format_number(int(n), lang, 0)] for s, n in by_status.items()],
        "by_goal": [
            [f"{g} {goals.get(g, '')}".strip() if g else t("goal_none"), format_number(int(n), lang, 0)]
            for g, n in by_goal.items()
        ],
    }


def _tied(value: Any, lang: str) -> Any:
    if isinstance(value, str):
        return tie_orphans(value, lang)
    if isinstance(value, list):
        return [_tied(v, lang) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("spark", "lang", "state") else _tied(v, lang)) for k, v in value.items()}
    return value


def _charts(con: duckdb.DuckDBPyConnection, profile: Profile, lang: str, data: dict[str, Any]) -> dict[str, str]:
    """The profile's drawings as SVG, by the file name the template uses."""
    shapes = dict(
        con.execute("SELECT code, ST_AsWKB(geom) FROM unit_display WHERE level = ?", [profile.level]).fetchall()
    )
    drawn = {"map.svg": charts.group_map(shapes, profile.unit, set(profile.members))}
    if data["has_level_change"]:
        drawn["level_change.svg"] = charts.level_change(
            profile.placed,
            profile.unit,
            MESSAGES.text("axis_score", lang, year=profile.year),
            MESSAGES.text("axis_change", lang, year=profile.year - profile.span),
            lambda v: format_number(v, lang, 2),
        )
    return drawn


def render_html(con: duckdb.DuckDBPyConnection, profile: Profile, lang: str) -> str:
    """The profile as one self-contained HTML page (see :mod:`etl.report.html`)."""
    from etl.report.html import render_html as page

    data, sparks = document_data(con, profile, lang)
    return page(data, {**_charts(con, profile, lang, data), **sparks})


def render_pdf(con: duckdb.DuckDBPyConnection, profile: Profile, lang: str, *, fmt: str = "pdf") -> Any:
    """The profile as PDF bytes (``fmt="png"``: a list of page images, for looking at it)."""
    import typst

    data, sparks = document_data(con, profile, lang)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        (root / "profile.typ").write_text(TEMPLATE.read_text("utf-8"), "utf-8")
        for name, svg in {**_charts(con, profile, lang, data), **sparks}.items():
            (root / name).write_text(svg, "utf-8")
        if fmt == "png":
            return typst.compile(
                str(root / "profile.typ"), root=str(root), format="png", ppi=70, ignore_system_fonts=True
            )
        return typst.compile(str(root / "profile.typ"), root=str(root), ignore_system_fonts=True)
