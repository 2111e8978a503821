"""Revitalisation delimitation (Revitalisation Act 2015, art. 9 and 10): criteria per indicator, the degraded
units with every flag, the revitalisation area chosen among them and checked live against art. 10(2)."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from dashboard import cached, exports, queries
from dashboard.actions import save_area
from dashboard.i18n import format_number, t
from dashboard.queries import layer_geometries
from dashboard.state import connection, db_path, generation
from dashboard.views.common import class_map, toggle_on_click
from etl.errors import USER_ERRORS
from indicators.revitalisation import GROUPS, RULES, Criterion, delimit
from indicators.rules import check, load_profile

COLOURS = ["#d62728", "#ff9f5a", "#e8e8e8"]  # revitalisation area, degraded, other
#: criteria offered first when the catalogue has these indicators (the rest can be added in the table)
SUGGESTED = [
    ("unemployment", "social"),
    ("social_assistance", "social"),
    ("crime_per_1000", "social"),
    ("exam_score", "social"),
    ("vacant_premises", "economic"),
    ("new_businesses_per_1000", "economic"),
    ("pm10", "environmental"),
    ("green_share", "environmental"),
    ("transit_access", "spatial_functional"),
    ("pre1945_share", "technical"),
    ("sewer_share", "technical"),
]


def criteria_from(frame: pd.DataFrame) -> list[Criterion]:
    """Criteria from the editor's rows (the indicator shown as "id — name"; rows switched off are left out)."""
    out = []
    for row in frame.to_dict("records"):
        if not row.get("indicator") or not row.get("use", True):
            continue
        value = row.get("value")
        out.append(
            Criterion(
                str(row["indicator"]).split(" — ")[0],
                row["group"],
                row["rule"],
                None if value is None or pd.isna(value) else float(value),
            )
        )
    return out


def delimitation_xlsx(result, verdict, catalogue: pd.DataFrame, lang: str) -> bytes:
    """The delimitation for the official document: the unit × indicator table, the criteria, the verdict."""
    names = catalogue["name_pl" if lang == "pl" else "name_en"].to_dict()
    table = result.table.copy()
    renamed = {}
    for c in result.criteria:
        renamed[c.indicator_id] = f"{names.get(c.indicator_id, c.indicator_id)}"
        renamed[f"{c.indicator_id}__flag"] = f"{names.get(c.indicator_id, c.indicator_id)}: problem"
    table = table.rename(columns=renamed)
    criteria = result.references.assign(name=result.references["indicator_id"].map(names))
    sheets = {"delimitacja": table, "kryteria": criteria}
    if verdict is not None:
        sheets["obszar_rewitalizacji"] = pd.DataFrame(
            [
                {
                    "rule": r.rule.id,
                    "value": r.value,
                    "max": r.rule.max,
                    "ok": r.ok,
                    "margin": r.margin,
                    "message": r.message_pl if lang == "pl" else r.message_en,
                }
                for r in verdict.results
            ]
            + [{"rule": "legal_source", "message": verdict.profile.legal_source}]
        )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def page(lang: str) -> None:
    gen = generation()
    con = connection()
    st.title(t("revit_title", lang))
    st.caption(t("revit_intro", lang))
    options = queries.wholes(con)
    catalogue = cached.catalogue(gen).set_index("id")
    if options.empty or catalogue.empty:
        st.info(t("revit_none", lang))
        return
    labels = {r.code: f"{r.name} ({r.code}) — {r.units} × {r.level}" for r in options.itertuples()}
    whole = st.sidebar.selectbox(
        t("revit_whole", lang), list(labels), format_func=labels.__getitem__, key="revit_whole"
    )
    level = options.set_index("code").at[whole, "level"]
    years = queries.level_years(con, level, parent_code=whole)[::-1]
    if not years:
        st.info(t("revit_none", lang))
        return
    year = st.sidebar.selectbox(t("year", lang), years, key="revit_year")
    min_social = st.sidebar.number_input(
        t("min_social", lang), 1, 10, 2, key="revit_min_social", help=t("min_social_help", lang)
    )

    name_col = "name_pl" if lang == "pl" else "name_en"
    available = [f"{i} — {catalogue.at[i, name_col]}" for i in catalogue.index if i != "population"]
    label_of = {a.split(" — ")[0]: a for a in available}
    st.subheader(t("criteria", lang))
    st.caption(t("criteria_help", lang))
    if "revit_criteria_seed" not in st.session_state:
        rows = [
            {"use": True, "indicator": label_of[i], "group": g, "rule": "worse_than_average", "value": None}
            for i, g in SUGGESTED
            if i in label_of
        ]
        st.session_state["revit_criteria_seed"] = pd.DataFrame(
            rows
            or [
                {"use": True, "indicator": available[0], "group": "social", "rule": "worse_than_average", "value": None}
            ]
        )
    edited = st.data_editor(
        st.session_state["revit_criteria_seed"],
        key="revit_criteria",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "use": st.column_config.CheckboxColumn(t("use", lang), default=True),
            "indicator": st.column_config.SelectboxColumn(
                t("indicator", lang), options=available, required=True, width="large"
            ),
            "group": st.column_config.SelectboxColumn(t("problem_group", lang), options=list(GROUPS), required=True),
            "rule": st.column_config.SelectboxColumn(t("rule", lang), options=list(RULES), required=True),
            "value": st.column_config.NumberColumn(t("rule_value", lang), help=t("rule_value_help", lang)),
        },
    )
    try:
        result = delimit(con, whole, level, year, criteria_from(edited), int(min_social))
    except USER_ERRORS as exc:
        st.warning(str(exc))
        return

    units = cached.level_units(gen, level)
    inside = units[units["code"].isin(result.table["code"])]
    codes = inside["code"].tolist()
    degraded = result.degraded
    if "revit_area" not in st.session_state or st.session_state.get("revit_for") != (whole, level):
        st.session_state["revit_area"] = list(degraded)
        st.session_state["revit_for"] = (whole, level)
    st.session_state["revit_area"] = [c for c in st.session_state["revit_area"] if c in degraded]
    toggle_on_click("revit_map", "revit_area", degraded)

    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_panel:
        st.metric(t("degraded_units", lang), f"{len(degraded)} / {len(codes)}")
        names = dict(zip(inside["code"], inside["name"], strict=True))
        chosen = st.multiselect(
            t("revit_area", lang), degraded, key="revit_area", format_func=lambda c: f"{names.get(c, c)} ({c})"
        )
        verdict = None
        if chosen:
            try:
                verdict = check(con, chosen, load_profile(None, "revitalisation"), year)
            except USER_ERRORS as exc:
                st.warning(str(exc))
        if verdict is not None:
            s = verdict.selection
            cols = st.columns(2)
            cols[0].metric(t("area_share", lang), format_number((s.measure("area_share") or 0) * 100, lang, 2) + "%")
            pop_share = s.measure("population_share")
            cols[1].metric(
                t("population_share", lang),
                format_number(pop_share * 100, lang, 2) + "%" if pop_share is not None else "–",
            )
            for r in verdict.results:
                (st.success if r.ok else st.error)(
                    r.message_pl if lang == "pl" else r.message_en,
                    icon=":material/check_circle:" if r.ok else ":material/cancel:",
                )
            st.caption(f"{t('legal_source', lang)}: {verdict.profile.legal_source}")
        else:
            st.info(t("revit_pick_hint", lang))
    with col_map:
        class_of = [0 if c in chosen else 1 if c in degraded else 2 for c in codes]
        class_map(
            level,
            codes,
            class_of,
            COLOURS,
            [
                f"{t('revit_area_short', lang)} ({class_of.count(0)})",
                f"{t('degraded_short', lang)} ({class_of.count(1)})",
                f"{t('not_degraded', lang)} ({class_of.count(2)})",
            ],
            title=t("revit_title", lang),
            subtitle=f"{labels[whole].split(' — ')[0]}, {year}",
            legend="",
            lang=lang,
            key="revit_map",
        )
        st.caption(t("click_to_toggle_degraded", lang))

    st.subheader(t("delimitation_table", lang))
    st.caption(t("delimitation_hint", lang).format(n=int(min_social)))
    shown = result.table.copy()
    for c in result.criteria:
        shown[f"{c.indicator_id}__flag"] = (
            shown[f"{c.indicator_id}__flag"]
            .map({True: "⚠ " + t("problem", lang), False: "—"})
            .fillna(t("no_data", lang))
        )
    shown["degraded"] = shown["degraded"].map({True: t("yes", lang), False: t("no", lang)})
    st.dataframe(shown, hide_index=True, width="stretch", key="revit_table")
    refs = result.references.copy()
    refs.insert(1, t("name", lang), refs["indicator_id"].map(catalogue[name_col]))
    st.dataframe(refs, hide_index=True, width="stretch", key="revit_refs")

    st.subheader(t("save_export", lang))
    geoms = layer_geometries(con, level)
    stem = f"rewitalizacja_{whole}_{year}"
    table = result.table.assign(in_revitalisation_area=result.table["code"].isin(chosen))
    cols = st.columns(3)
    cols[0].download_button(
        "XLSX",
        lambda: delimitation_xlsx(result, verdict, catalogue, lang),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="revit_xlsx",
        on_click="ignore",
    )
    cols[1].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(
            exports.layer_frame(
                table[table["degraded"]][
                    ["code", "name", "social_problems", "other_problems", "other_groups", "in_revitalisation_area"]
                ],
                geoms,
            )
        ),
        f"{stem}.geojson",
        "application/geo+json",
        key="revit_geojson",
        on_click="ignore",
    )
    if cols[2].button(t("save_areas", lang), key="revit_save", type="primary", disabled=not degraded):
        try:
            save_area(
                db_path(),
                f"degraded-{whole}-{year}",
                f"{t('degraded_short', lang)} {year}",
                "degraded",
                degraded,
                programme="Ustawa o rewitalizacji 2015, art. 9",
                period=str(year),
            )
            if chosen:
                save_area(
                    db_path(),
                    f"revitalisation-{whole}-{year}",
                    f"{t('revit_area_short', lang)} {year}",
                    "revitalisation",
                    chosen,
                    programme="Ustawa o rewitalizacji 2015, art. 10",
                    period=str(year),
                    note={"verdict": "ok" if verdict and verdict.ok else "fails"},
                )
            st.success(t("areas_saved", lang))
        except USER_ERRORS as exc:
            st.error(str(exc))
