"""Compare units: 2–6 units against a comparison group — indicator values with rank and difference from the group
average (better / worse by the indicator's direction), domain scores of the composite index, time series, and
level-and-change. The view lives in the URL."""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from dashboard import cached, exports, queries
from dashboard.actions import save_group
from dashboard.figures import QUALITATIVE
from dashboard.i18n import format_number, t
from dashboard.state import connection, db_path, generation
from dashboard.views.common import class_map, toggle_on_click
from etl.errors import USER_ERRORS
from indicators.composite import (
    METHODS,
    SIZE_CLASSES,
    IndexSpec,
    comparison_table,
    composite_index,
    group_members,
    level_and_change,
)

BETTER, WORSE = "#d9f0d3", "#f8d5d0"
_PL = str.maketrans("ąćęłńóśźż", "acelnoszz")


def unidecode_pl(text: str) -> str:
    """Polish letters to ASCII, for ids made from names."""
    return text.translate(_PL)


def group_options(con, level: str) -> list[str]:
    options = ["all"]
    if level == "gmina":
        options += ["type:urban", "type:rural", "type:urban_rural", "county_cities"]
    options += [f"size:{c}" for c in SIZE_CLASSES]
    options += [f"saved:{g}" for g in queries.group_ids(con, level)]
    options += [f"area:{a}" for a in queries.area_ids(con, level)]
    return options


def group_label(group: str, lang: str, area_names: dict[str, str]) -> str:
    """How a group is named in the interface (``area_names`` also holds the names of saved groups)."""
    kind, _, arg = group.partition(":")
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
        column = f"{names.get(code, code)}"
        text, colour = {}, {}
        for row in block.itertuples():
            if pd.isna(row.value):
                text[row.indicator_id] = t("no_data", lang)
            else:
                rank = f" ({row.rank}/{row.of})" if row.rank else ""
                diff = (
                    ""
                    if pd.isna(row.difference)
                    else f", {'+' if row.difference > 0 else ''}" + format_number(row.difference, lang, 2)
                )
                text[row.indicator_id] = format_number(row.value, lang, 2) + rank + diff
            colour[row.indicator_id] = {"better": BETTER, "worse": WORSE}.get(row.verdict, "")
        cells[column], colours[column] = text, colour
    shown = pd.DataFrame(cells)
    shown.index = [ind_names.get(i, i) for i in shown.index]
    paint = pd.DataFrame(colours)
    paint.index = shown.index
    return shown.style.apply(lambda _: paint.map(lambda c: f"background-color: {c}" if c else ""), axis=None)


def page(lang: str) -> None:
    gen = generation()
    con = connection()
    levels = cached.levels(gen)
    catalogue = cached.catalogue(gen).set_index("id")
    st.title(t("compare_title", lang))
    st.caption(t("compare_intro", lang))
    if levels.empty or catalogue.empty:
        st.info(t("empty_store", lang))
        return
    params = st.query_params.to_dict()
    name_col = "name_pl" if lang == "pl" else "name_en"
    level_names = dict(zip(levels["level"], levels[name_col], strict=True))
    with_data = [lv for lv in level_names if cached.level_indicators(gen, lv)]
    if not with_data:
        st.info(t("empty_store", lang))
        return
    if "cmp_level" not in st.session_state:
        st.session_state["cmp_level"] = params.get("level") if params.get("level") in with_data else with_data[-1]
    level = st.sidebar.selectbox(t("level", lang), with_data, format_func=level_names.__getitem__, key="cmp_level")
    areas = queries.group_and_area_names(con)
    groups = group_options(con, level)
    if "cmp_group_next" in st.session_state:
        st.session_state["cmp_group"] = st.session_state.pop("cmp_group_next")
    if st.session_state.get("cmp_group") not in groups:
        st.session_state["cmp_group"] = params.get("group") if params.get("group") in groups else "all"
    group = st.sidebar.selectbox(
        t("group", lang), groups, key="cmp_group", format_func=lambda g: group_label(g, lang, areas)
    )
    years = queries.level_years(con, level)
    if st.session_state.get("cmp_year") not in years:
        wanted = int(params["year"]) if str(params.get("year", "")).isdigit() else years[-1]
        st.session_state["cmp_year"] = wanted if wanted in years else years[-1]
    year = st.sidebar.selectbox(t("year", lang), years[::-1], key="cmp_year")
    with st.sidebar.expander(t("index_settings", lang)):
        if "cmp_method" not in st.session_state:
            st.session_state["cmp_method"] = params.get("method") if params.get("method") in METHODS else "minmax"
        method = st.radio(
            t("normalisation", lang),
            METHODS,
            key="cmp_method",
            horizontal=True,
            format_func=lambda m: t(f"norm_{m}", lang),
        )
        spans = [s for s in (1, 3, 5, 10) if year - s in years] or [0]
        span = st.selectbox(t("change_span", lang), spans, key="cmp_span", index=min(2, len(spans) - 1))
        max_missing = st.slider(t("max_missing", lang), 0.0, 1.0, 0.25, 0.05, key="cmp_missing")
        domains = sorted(catalogue["domain"].unique())
        weights = {d: st.slider(t(f"domain_{d}", lang), 0.0, 3.0, 1.0, 0.5, key=f"cmp_w_{d}") for d in domains}
    spec = IndexSpec(method=method, domain_weights=weights, max_missing_share=max_missing)

    units = cached.level_units(gen, level)
    codes = units["code"].tolist()
    names = dict(zip(units["code"], units["name"], strict=True))
    try:
        members = group_members(con, level, group, year=year)
    except USER_ERRORS as exc:
        st.warning(str(exc))
        return
    if "cmp_units" not in st.session_state or st.session_state.get("cmp_for") != level:
        from_url = [c for c in str(params.get("units", "")).split(",") if c in names]
        st.session_state["cmp_units"] = from_url[:6]
        st.session_state["cmp_for"] = level
    toggle_on_click("cmp_map", "cmp_units", codes)
    st.session_state["cmp_units"] = st.session_state["cmp_units"][:6]

    col_map, col_pick = st.columns([3, 2], gap="medium")
    with col_pick:
        chosen = st.multiselect(
            t("compare_pick", lang), codes, key="cmp_units", max_selections=6, format_func=lambda c: f"{names[c]} ({c})"
        )
        st.caption(t("compare_group_size", lang).format(n=len(members), group=group_label(group, lang, areas)))
        if message := st.session_state.pop("cmp_saved_msg", None):
            st.success(message)
        with st.expander(t("save_group", lang)):
            group_name = st.text_input(
                t("group_name", lang), key="cmp_group_name", placeholder=t("group_name_hint", lang)
            )
            if st.button(t("save_group_button", lang), key="cmp_save_group", disabled=len(chosen) < 2):
                group_id = re.sub(r"[^a-z0-9_-]+", "-", unidecode_pl(group_name.lower())).strip("-")[:60] or "grupa"
                try:
                    save_group(db_path(), group_id, group_name or group_id, chosen)
                    st.session_state["cmp_saved_msg"] = t("group_saved_msg", lang).format(name=group_name or group_id)
                    st.session_state["cmp_group_next"] = f"saved:{group_id}"  # set before the widget, next run
                    st.rerun()
                except USER_ERRORS as exc:
                    st.error(str(exc))
    with col_map:
        in_group = set(members)
        class_of = [0 if c in chosen else 1 if c in in_group else 2 for c in codes]
        class_map(
            level,
            codes,
            class_of,
            ["#E69F00", "#9ecae1", "#eeeeee"],
            [
                f"{t('chosen', lang)} ({class_of.count(0)})",
                f"{t('in_group', lang)} ({class_of.count(1)})",
                f"{t('outside_group', lang)} ({class_of.count(2)})",
            ],
            title=t("compare_title", lang),
            subtitle=f"{level_names[level]}, {year}",
            legend="",
            lang=lang,
            key="cmp_map",
            height=420,
        )

    query = {
        "level": level,
        "group": group,
        "year": str(year),
        "method": method,
        "units": ",".join(chosen),
        "lang": lang,
    }
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    if len(chosen) < 2:
        st.info(t("compare_hint", lang))
        return

    ind_names = catalogue[name_col].to_dict()
    table = comparison_table(con, chosen, members, year)
    st.subheader(t("compare_values", lang))
    st.caption(t("compare_values_hint", lang))
    st.dataframe(styled_table(table, names, ind_names, lang), width="stretch", key="cmp_table")

    scope = list(dict.fromkeys([*members, *chosen]))
    with st.expander(t("indicator_weights", lang)):
        scored = [
            i for i in catalogue.index if i in set(table["indicator_id"]) and catalogue.at[i, "direction"] != "neutral"
        ]
        edited = st.data_editor(
            pd.DataFrame(
                {
                    "indicator": [ind_names.get(i, i) for i in scored],
                    "domain": [t(f"domain_{catalogue.at[i, 'domain']}", lang) for i in scored],
                    "weight": 1.0,
                },
                index=scored,
            ),
            key="cmp_weights",
            hide_index=True,
            disabled=["indicator", "domain"],
            width="stretch",
            column_config={
                "weight": st.column_config.NumberColumn(t("weight", lang), min_value=0.0, max_value=10.0, step=0.5)
            },
        )
        spec.weights = {i: float(w) for i, w in zip(scored, edited["weight"], strict=True) if w == w and w != 1.0}
    try:
        index = composite_index(con, scope, year, spec)
    except USER_ERRORS as exc:
        st.warning(str(exc))
        return
    scores = index.scores.set_index("code")
    st.subheader(t("domain_scores", lang))
    fig = go.Figure()
    for i, code in enumerate(chosen):
        fig.add_bar(
            x=[t(f"domain_{d}", lang) for d in index.domains] + [t("overall", lang)],
            y=[scores.at[code, d] for d in [*index.domains, "overall"]],
            name=html.escape(names[code]),
            marker_color=QUALITATIVE[i % len(QUALITATIVE)],
        )
    fig.update_layout(
        barmode="group",
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=", " if lang == "pl" else ".,",
        legend={"orientation": "h", "y": -0.2},
        yaxis_title=t(f"norm_{method}", lang),
    )
    st.plotly_chart(fig, key="cmp_scores", config={"displaylogo": False})
    notes = scores.loc[chosen, "note"]
    for code, note in notes.items():
        if note:
            st.warning(f"{names[code]}: {note}")
    with st.expander(t("score_breakdown", lang)):
        breakdown = index.breakdown[index.breakdown["code"].isin(chosen)].assign(
            unit=lambda f: f["code"].map(names), indicator=lambda f: f["indicator_id"].map(ind_names)
        )
        st.dataframe(
            breakdown[["unit", "indicator", "domain", "direction", "value", "normalised", "weight"]],
            hide_index=True,
            width="stretch",
            key="cmp_breakdown",
        )

    st.subheader(t("time_series", lang))
    options = [i for i in catalogue.index if i in set(table["indicator_id"])]
    shown = st.multiselect(
        t("indicators", lang),
        options,
        default=options[:4],
        key="cmp_series",
        format_func=lambda i: ind_names.get(i, i),
        max_selections=9,
    )
    if shown:
        series = queries.series_of(con, shown, scope)
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
            height=260 * rows,
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
            separators=", " if lang == "pl" else ".,",
            legend={"orientation": "h", "y": -0.08},
        )
        grid.update_xaxes(tickformat="d")
        grid.update_annotations(font_size=11)
        st.plotly_chart(grid, key="cmp_multiples", config={"displaylogo": False})

    if span:
        st.subheader(t("level_change", lang))
        st.caption(t("level_change_hint", lang).format(span=span, start=year - span))
        try:
            placed = level_and_change(con, scope, year, span, spec)
        except USER_ERRORS as exc:
            st.warning(str(exc))
            placed = None
        if placed is not None:
            placed["name"] = placed["code"].map(names)
            marked = placed["code"].isin(chosen)
            fig = go.Figure()
            fig.add_scatter(
                x=placed.loc[~marked, "score"],
                y=placed.loc[~marked, "change"],
                mode="markers",
                marker={"color": "#bbbbbb", "size": 8},
                name=t("in_group", lang),
                text=[html.escape(n) for n in placed.loc[~marked, "name"]],
                hovertemplate="%{text}<br>%{x:.3f}, %{y:+.3f}<extra></extra>",
            )
            fig.add_scatter(
                x=placed.loc[marked, "score"],
                y=placed.loc[marked, "change"],
                mode="markers+text",
                marker={"color": "#E69F00", "size": 13, "line": {"color": "#000", "width": 1}},
                text=[html.escape(n) for n in placed.loc[marked, "name"]],
                textposition="top center",
                name=t("chosen", lang),
                hovertemplate="%{text}<br>%{x:.3f}, %{y:+.3f}<extra></extra>",
            )
            fig.add_vline(x=placed["score"].median(), line_dash="dot", line_color="#666")
            fig.add_hline(y=0, line_dash="dot", line_color="#666")
            fig.update_layout(
                height=420,
                margin={"l": 10, "r": 10, "t": 10, "b": 10},
                xaxis_title=t("score_now", lang).format(year=year),
                yaxis_title=t("score_change", lang).format(span=span),
                separators=", " if lang == "pl" else ".,",
            )
            st.plotly_chart(fig, key="cmp_level_change", config={"displaylogo": False})
            quadrants = placed.loc[marked, ["name", "score", "score_before", "change", "quadrant"]]
            quadrants["quadrant"] = quadrants["quadrant"].map(lambda q: t(f"q_{q}", lang) if q else "–")
            st.dataframe(quadrants, hide_index=True, width="stretch", key="cmp_quadrants")

    export = table.assign(unit=table["code"].map(names), indicator=table["indicator_id"].map(ind_names))
    export = export.merge(
        scores[[*index.domains, "overall", "rank"]].add_prefix("index_"), left_on="code", right_index=True, how="left"
    )
    stem = f"porownanie_{level}_{year}"
    cols = st.columns(2)
    cols[0].download_button(
        "CSV", lambda: exports.csv_bytes(export), f"{stem}.csv", "text/csv", key="cmp_csv", on_click="ignore"
    )
    cols[1].download_button(
        "XLSX",
        lambda: exports.xlsx_bytes(
            export,
            sheet="porownanie",
            notes=[
                f"{t('group', lang)}: {group_label(group, lang, areas)}",
                f"{t('year', lang)}: {year}",
                f"{t('normalisation', lang)}: {t('norm_' + method, lang)}",
            ],
        ),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="cmp_xlsx",
        on_click="ignore",
    )
