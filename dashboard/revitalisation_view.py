"""The Revitalisation page's plain parts: suggested criteria, criteria from the editor, and the XLSX for the
official document. No Streamlit here."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.i18n import label, t
from dashboard.tables import Col, localise
from etl.numbers import NotANumber, parse_number
from indicators.errors import RuleError
from indicators.revitalisation import Criterion, Delimitation

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
    """Criteria from the editor's rows (rows switched off are left out)."""
    out = []
    for row in frame.to_dict("records"):
        if not row.get("indicator") or not row.get("use", True):
            continue
        out.append(Criterion(str(row["indicator"]), row["group"], row["rule"], _rule_value(row.get("value"))))
    return out


def _rule_value(value: object) -> float | None:
    """The editor's value as typed (``12,5`` or ``12.5``); empty means none. The cell is text, so that an empty one
    shows empty (a number cell shows "None")."""
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return parse_number(text if "," in text else text.replace(".", ","), dash_is_zero=False)
    except NotANumber as exc:
        raise RuleError(f"'{text}' is not a number for a criterion's value ({exc}).") from exc


def delimitation_xlsx(result, verdict, catalogue: pd.DataFrame, lang: str, chosen: list[str] | None = None) -> bytes:
    """The delimitation for the official document, in ``lang``: the unit × indicator table (with whether each unit
    is in the revitalisation area chosen), the criteria, the verdict."""
    names = catalogue[f"name_{lang}"].to_dict()
    shown, columns = delimitation_frame(result, names, lang)
    shown["in_area"] = shown["code"].isin(chosen or [])
    table = localise(shown, [*columns, Col("in_area", "revit_area_short", "bool")], lang, rounded=False)
    criteria = result.references.assign(name=result.references["indicator_id"].map(names))
    sheets = {
        t("sheet_delimitation", lang): table,
        t("criteria", lang): localise(criteria, REFERENCES, lang, rounded=False),
    }
    if verdict is not None:
        rows = [{"rule": r.rule.label(lang), "ok": r.ok, "message": r.message(lang)} for r in verdict.results]
        rows.append({"rule": t("legal_source", lang), "ok": None, "message": verdict.profile.legal_source})
        sheets[t("revit_area_short", lang)] = localise(pd.DataFrame(rows), VERDICT, lang)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


VERDICT = [Col("rule", "rule"), Col("ok", "col_rule_ok", "bool"), Col("message", "col_verdict")]


def suggested_criteria(available: list[str]) -> pd.DataFrame:
    """The editor's first rows: the suggested criteria the catalogue has (``available``: indicator ids)."""
    rows = [
        {"use": True, "indicator": i, "group": g, "rule": "worse_than_average", "value": ""}
        for i, g in SUGGESTED
        if i in available
    ]
    first = {"use": True, "indicator": available[0], "group": "social", "rule": "worse_than_average", "value": ""}
    return pd.DataFrame(rows or [first])


REFERENCES = [
    Col("name", "indicator"),
    Col("group", "problem_group", "enum", enum="problem_group"),
    Col("rule", "rule", "enum", enum="rule_kind"),
    Col("value", "rule_value", "number", 2),
    Col("worse", "col_worse", "enum", enum="worse"),
    Col("reference", "col_reference", "number", 2),
    Col("reference_kind", "col_reference_kind", "enum", enum="reference_kind"),
    Col("limit", "col_limit", "number", 2),
    Col("units_flagged", "col_units_flagged", "count"),
    Col("units_without_data", "units_without_data", "count"),
]


def delimitation_frame(result: Delimitation, names: dict[str, str], lang: str) -> tuple[pd.DataFrame, list[Col]]:
    """The unit × indicator table with its columns: each criterion's value and whether it flags a problem."""
    shown = result.table.copy()
    columns = [Col("code", "code"), Col("name", "name")]
    for c in result.criteria:
        name = names.get(c.indicator_id, c.indicator_id)
        flag = f"{c.indicator_id}__flag"
        shown[flag] = shown[flag].map({True: "⚠ " + t("problem", lang), False: "—"}).fillna(t("no_data", lang))
        columns += [
            Col(c.indicator_id, kind="number", decimals=2, title=name),
            Col(flag, title=f"{name}: {t('problem', lang)}"),
        ]
    shown["other_groups"] = shown["other_groups"].map(
        lambda groups: ", ".join(label("problem_group", g, lang) for g in str(groups).split(", ") if g)
    )
    columns += [
        Col("social_problems", "col_social_problems", "count"),
        Col("other_problems", "col_other_problems", "count"),
        Col("other_groups", "col_other_groups"),
        Col("degraded", "col_degraded", "bool"),
    ]
    return shown, columns
