"""What the Compare page shows, as plain functions: group names and ids, the styled values table, the three charts
and the export frame. No Streamlit here; the page calls these and tests call them directly."""

from __future__ import annotations

import html
import re
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import queries
from dashboard.figures import QUALITATIVE, READABLE, separators_for
from dashboard.i18n import format_number, t
from dashboard.tables import Col, localise
from indicators.composite import SIZE_CLASSES, group_members, quartiles

BETTER, WORSE = "#d9f0d3", "#f8d5d0"
_PL = str.maketrans("ąćęłńóśźż", "acelnoszz")


def unidecode_pl(text: str) -> str:
    """Polish letters to ASCII, for ids made from names."""
    return text.translate(_PL)


def group_id_for(name: str) -> str:
    """A saved group's id from its name: ``Miasta jak my`` → ``miasta-jak-my``."""
    return re.sub(r"[^a-z0-9_-]+", "-", unidecode_pl(name.lower())).strip("-")[:60] or "grupa"


def group_options(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    options = ["all"]
    if level == "gmina":
        options += ["type:urban", "type:rural", "type:urban_rural", "county_cities"]
    options += [f"size:{c}" for c in SIZE_CLASSES]
    options += [f"saved:{g}" for g in queries.group_ids(con, level)]
    options += [f"area:{a}" for a in queries.area_ids(con, level)]
    for typology, wanted in queries.typology_classes(con, level):
        options.append(f"typology:{typology}:{wanted}")
        for size in SIZE_CLASSES:  # a class crossed with a size class, where that leaves a group to compare with
            crossed = f"typology:{typology}:{wanted}&size:{size}"
            if len(group_members(con, level, crossed)) >= 2:
                options.append(crossed)
    return options


def group_label(group: str, lang: str, area_names: dict[str, Any]) -> str:
    """How a group is named in the interface (``area_names`` also holds the names of saved groups and typologies)."""
    if "&" in group and not group.startswith("list:"):
        return " × ".join(group_label(part, lang, area_names) for part in group.split("&"))
    kind, _, arg = group.partition(":")
    if kind == "typology":
        typology, _, wanted = arg.partition(":")
        info = area_names.get(f"typology:{typology}") or {}
        by_lang = info.get("classes") or {}
        words = next((by_lang[k][wanted] for k in (lang, "en", "pl") if wanted in (by_lang.get(k) or {})), None)
        return f"{info.get(lang) or typology}: {wanted}" + (f" – {words}" if words and words != wanted else "")
    if kind == "area":
        return f"{t('group_area', lang)}: {area_names.get(arg, arg)}"
    if kind == "saved":
        return f"{t('group_saved', lang)}: {area_names.get('saved:' + arg, arg)}"
    if kind in ("type", "size"):
        return f"{t('group_' + kind, lang)}: {t('grp_' + arg.replace('-', '_').replace('+', 'plus'), lang)}"
    return t(f"group_{kind}", lang)


def styled_table(table: pd.DataFrame, names: dict[str, str], ind_names: dict[str, str], lang: str):
    """Indicator × unit: "value (rank/of), ±difference", coloured better / worse than the group average."""
    cells, colours = {}, {}
    for code, block in table.groupby("code", sort=False):
        column = f"{names.get(str(code), str(code))}"
        text, colour = {}, {}
        for row in block.itertuples():
            if pd.isna(row.value):
                text[row.indicator_id] = t("no_data", lang)
            else:
                rank = ""
                if not pd.isna(row.rank):
                    key = "rank_of" if row.in_group else "rank_of_outside"
                    rank = " (" + t(key, lang).format(rank=int(row.rank), of=int(row.of)) + ")"
                diff = ""
                if not pd.isna(row.difference):
                    diff = f", {'+' if row.difference > 0 else ''}" + format_number(row.difference, lang, 2)
                verdict = f" {t('verdict_' + str(row.verdict), lang)}" if row.verdict in ("better", "worse") else ""
                text[row.indicator_id] = format_number(row.value, lang, 2) + rank + diff + verdict
            colour[row.indicator_id] = {"better": BETTER, "worse": WORSE}.get(str(row.verdict), "")
        cells[column], colours[column] = text, colour
    shown = pd.DataFrame(cells)
    shown.index = pd.Index([ind_names.get(i, i) for i in shown.index], name=t("indicator", lang))
    paint = pd.DataFrame(colours)
    paint.index = shown.index
    # the words ▲/▼ carry the verdict; the pale background repeats it, with dark text in any theme
    return shown.style.apply(
        lambda _: paint.map(lambda c: f"background-color: {c}; color: #1f1f1f" if c else ""), axis=None
    )


def scores_figure(
    scores: pd.DataFrame, domains: list[str], chosen: list[str], names: dict[str, str], lang: str, method: str
) -> go.Figure:
    """Domain and overall scores of the chosen units, grouped bars."""
    fig = go.Figure()
    for i, code in enumerate(chosen):
        fig.add_bar(
            x=[t(f"domain_{d}", lang) for d in domains] + [t("overall", lang)],
            y=[scores.at[code, d] for d in [*domains, "overall"]],
            name=html.escape(names[code]),
            marker_color=QUALITATIVE[i % len(QUALITATIVE)],
        )
    fig.update_layout(
        **READABLE,
        barmode="group",
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=separators_for(lang),
        legend={"orientation": "h", "y": -0.2},
        yaxis_title=t(f"norm_{method}", lang),
    )
    return fig


def multiples_figure(
    series: pd.DataFrame,
    shown: list[str],
    chosen: list[str],
    members: list[str],
    names: dict[str, str],
    ind_names: dict[str, str],
    lang: str,
) -> go.Figure:
    """Small multiples: one panel per indicator, the chosen units' lines over the group's average (dashed)."""
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    grid = make_subplots(rows=rows, cols=cols, subplot_titles=[html.escape(ind_names.get(i, i)) for i in shown])
    for n, indicator in enumerate(shown):
        r, c = n // cols + 1, n % cols + 1
        block = series[series["indicator_id"] == indicator]
        average = block[block["code"].isin(members)].groupby("year")["value"].mean()
        grid.add_scatter(
            x=average.index.tolist(),
            y=average.round(4).tolist(),
            mode="lines",
            line={"color": "#888888", "dash": "dash"},
            name=t("group_average", lang),
            legendgroup="avg",
            showlegend=n == 0,
            row=r,
            col=c,
        )
        for i, code in enumerate(chosen):
            line = block[block["code"] == code]
            grid.add_scatter(
                x=line["year"].tolist(),
                y=line["value"].round(4).tolist(),
                mode="lines+markers",
                line={"color": QUALITATIVE[i % len(QUALITATIVE)]},
                name=html.escape(names[code]),
                legendgroup=code,
                showlegend=n == 0,
                row=r,
                col=c,
            )
    grid.update_layout(
        **READABLE,
        height=260 * rows,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        separators=separators_for(lang),
        legend={"orientation": "h", "y": -0.08},
    )
    grid.update_xaxes(tickformat="d")
    grid.update_annotations(font_size=11)
    return grid


def level_change_figure(placed: pd.DataFrame, chosen: list[str], year: int, span: int, lang: str) -> go.Figure:
    """Level (score now) against change (score now − score ``span`` years before); ``placed`` has a name column."""
    marked = placed["code"].isin(chosen)
    hover = "%{text}<br>%{x:.3f}, %{y:+.3f}<extra></extra>"
    fig = go.Figure()
    fig.add_scatter(
        x=placed.loc[~marked, "score"],
        y=placed.loc[~marked, "change"],
        mode="markers",
        marker={"color": "#bbbbbb", "size": 8},
        name=t("in_group", lang),
        text=[html.escape(n) for n in placed.loc[~marked, "name"]],
        hovertemplate=hover,
    )
    fig.add_scatter(
        x=placed.loc[marked, "score"],
        y=placed.loc[marked, "change"],
        mode="markers+text",
        marker={"color": "#E69F00", "size": 13, "line": {"color": "#000", "width": 1}},
        text=[html.escape(n) for n in placed.loc[marked, "name"]],
        textposition="top center",
        name=t("chosen", lang),
        hovertemplate=hover,
    )
    fig.add_vline(x=placed["score"].median(), line_dash="dot", line_color="#666")
    fig.add_hline(y=0, line_dash="dot", line_color="#666")
    corners = {
        "strong_improving": (1, 1),
        "strong_declining": (1, 0),
        "weak_improving": (0, 1),
        "weak_declining": (0, 0),
    }
    for quadrant, (right, top) in corners.items():  # each quadrant named in its corner
        fig.add_annotation(
            text=html.escape(t(f"q_{quadrant}", lang)),
            xref="paper",
            yref="paper",
            x=0.99 if right else 0.01,
            y=0.99 if top else 0.01,
            xanchor="right" if right else "left",
            yanchor="top" if top else "bottom",
            showarrow=False,
            font={"size": 12, "color": "#444"},
        )
    fig.update_layout(
        **READABLE,
        height=420,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis_title=t("score_now", lang).format(year=year),
        yaxis_title=t("score_change", lang).format(span=span),
        separators=separators_for(lang),
    )
    return fig


def export_frame(
    table: pd.DataFrame,
    scores: pd.DataFrame,
    domains: list[str],
    names: dict[str, str],
    ind_names: dict[str, str],
    lang: str,
) -> pd.DataFrame:
    """The comparison table with unit and indicator names and the index scores, for CSV/XLSX, in ``lang``."""
    export = table.assign(unit=table["code"].map(names), indicator=table["indicator_id"].map(ind_names))
    index = scores[[*domains, "overall", "rank"]].add_prefix("index_")
    export = export.merge(index, left_on="code", right_index=True, how="left")
    index_word = t("index_settings", lang)
    columns = [
        Col("unit", "unit"),
        Col("code", "code"),
        Col("indicator", "indicator"),
        Col("domain", "col_domain", "enum", enum="domain"),
        Col("direction", "col_direction", "enum", enum="direction"),
        Col("value", "value", "number", 2),
        Col("flag", "flag"),
        Col("rank", "rank", "count"),
        Col("of", "col_of", "count"),
        Col("in_group", "in_group", "bool"),
        Col("group_average", "col_mean", "number", 2),
        Col("group_ratio", "col_group_ratio", "number", 2),
        Col("difference", "col_difference", "number", 2),
        Col("verdict", "col_verdict", "enum", enum="verdict"),
        *[
            Col(f"index_{d}", kind="number", decimals=3, title=f"{index_word}: {t('domain_' + d, lang)}")
            for d in domains
        ],
        Col("index_overall", kind="number", decimals=3, title=f"{index_word}: {t('overall', lang)}"),
        Col("index_rank", kind="count", title=f"{index_word}: {t('rank', lang)}"),
    ]
    return localise(export, columns, lang)


BREAKDOWN = [
    Col("unit", "unit"),
    Col("indicator", "indicator"),
    Col("domain", "col_domain", "enum", enum="domain"),
    Col("direction", "col_direction", "enum", enum="direction"),
    Col("value", "value", "number", 2),
    Col("normalised", "col_normalised", "number", 3),
    Col("weight", "weight", "number", 1),
]
#: Values the outlier rule changed (Compare, under the scores).
TREATED = [
    Col("unit", "unit"),
    Col("indicator", "indicator"),
    Col("original", "col_original", "number", 2),
    Col("treated", "col_treated", "number", 2),
    Col("treatment", "col_treatment", "enum", enum="treatment"),
]

QUADRANTS = [
    Col("name", "name"),
    Col("score", "col_score", "number", 3),
    Col("score_before", "col_score_before", "number", 3),
    Col("change", "col_change", "number", 3),
    Col("rank", "rank", "count"),
    Col("quartile", "col_quartile", "count"),
    Col("rank_before", "col_rank_before", "count"),
    Col("quartile_before", "col_quartile_before", "count"),
    Col("places_up", "col_places_up", "count"),
    Col("quadrant", "col_quadrant", "enum", enum="q"),
]


def with_ranks(placed: pd.DataFrame) -> pd.DataFrame:
    """Level and change with each unit's rank and quartile now and at the start of the span (1 = best), and how
    many places it moved up."""
    out = placed.copy()
    for column, score in (("rank", "score"), ("rank_before", "score_before")):
        out[column] = out[score].rank(ascending=False, method="min").astype("Int64")
        out[column.replace("rank", "quartile")] = quartiles(out[column])
    out["places_up"] = (out["rank_before"] - out["rank"]).astype("Int64")
    return out
