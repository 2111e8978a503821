"""The Revitalisation page's plain parts: suggested criteria, criteria from the editor, and the XLSX for the
official document. No Streamlit here."""

from __future__ import annotations

import io

import pandas as pd

from indicators.revitalisation import Criterion

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


def delimitation_xlsx(result, verdict, catalogue: pd.DataFrame, lang: str, chosen: list[str] | None = None) -> bytes:
    """The delimitation for the official document: the unit × indicator table (with whether each unit is in the
    revitalisation area chosen), the criteria, the verdict."""
    names = catalogue[f"name_{lang}"].to_dict()
    table = result.table.copy()
    table["in_revitalisation_area"] = table["code"].isin(chosen or [])
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


def suggested_criteria(available: list[str]) -> pd.DataFrame:
    """The editor's first rows: the suggested criteria the catalogue has (``available``: "id — name")."""
    label_of = {a.split(" — ")[0]: a for a in available}
    rows = [
        {"use": True, "indicator": label_of[i], "group": g, "rule": "worse_than_average", "value": None}
        for i, g in SUGGESTED
        if i in label_of
    ]
    first = {"use": True, "indicator": available[0], "group": "social", "rule": "worse_than_average", "value": None}
    return pd.DataFrame(rows or [first])
