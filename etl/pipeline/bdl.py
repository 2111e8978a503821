"""GUS BDL into the store: variables become catalogue indicators, their values observations, with provenance.

Everything is fetched first; only then is the store written, in one all-or-nothing run. A fetch that fails leaves
the store exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl import store
from etl.connectors.bdl import DEFAULT_BASE_URL, BdlClient, bdl_unit_to_teryt, observations_from_results
from etl.errors import SourceError
from etl.reasons import reason as said
from etl.store.rejects import Rejects
from etl.store.runs import insert_frame, run, write_connector_indicator
from etl.texts import say
from etl.workspace import Source
from indicators.derived import compute_derived

#: store level -> BDL unit level
LEVELS: dict[str, int] = {"voivodeship": 2, "powiat": 5, "gmina": 6}
SOURCE_NAME = "GUS, Bank Danych Lokalnych (bdl.stat.gov.pl)"
LICENCE = "CC BY 4.0 (GUS)"


@dataclass
class BdlRequest:
    """One fetch: variables at one level, optionally inside one parent unit and for some years."""

    variables: list[int]
    level: str
    parent: str | None = None  # TERYT (2 or 4 digits) or a 12-digit BDL unit id
    years: list[int] | None = None
    indicator_prefix: str = "bdl_"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise SourceError(say("bdl_level", levels=", ".join(LEVELS), value=self.level))
        if not self.variables:
            raise SourceError(say("bdl_no_variable"))

    def indicator_id(self, variable_id: int) -> str:
        return f"{self.indicator_prefix}{variable_id}"


@dataclass
class FetchedVariable:
    variable_id: int
    indicator: dict[str, Any]  # a row of the indicator catalogue
    results: list[dict[str, Any]]  # the API's unit results
    url: str
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def checksum(self) -> str:
        return hashlib.sha256(json.dumps(self.results, sort_keys=True).encode()).hexdigest()


def parse_years(text: str | None) -> list[int] | None:
    """``2010-2024`` or ``2019,2021,2023`` (or None: every year the API has)."""
    if not text:
        return None
    years: list[int] = []
    try:
        for part in str(text).split(","):
            first, _, last = part.strip().partition("-")
            years.extend(range(int(first), int(last or first) + 1))
    except ValueError:
        raise SourceError(say("bdl_years", value=text)) from None
    return sorted(set(years))


def parse_variables(text: str) -> list[int]:
    try:
        return [int(v) for v in str(text).replace(" ", "").split(",") if v]
    except ValueError:
        raise SourceError(say("bdl_variables", value=text)) from None


def variable_name(client: BdlClient, meta: dict[str, Any], lang: str) -> str:
    """Subject name and the variable's dimensions, e.g. ``Ludność wg płci: ogółem``."""
    subject = client.subject(meta["subjectId"], lang=lang) if meta.get("subjectId") else {}
    dims = [str(meta[k]) for k in ("n1", "n2", "n3", "n4", "n5") if meta.get(k)]
    head = str(subject.get("name") or meta.get("subjectId") or f"BDL {meta.get('id')}")
    return f"{head}: {', '.join(dims)}" if dims else head


def resolve_parent(client: BdlClient, parent: str | None) -> str | None:
    """The 12-digit BDL id of a parent given as TERYT (``12`` voivodeship, ``1201`` powiat) or as a BDL id."""
    if not parent:
        return None
    parent = parent.strip()
    if len(parent) == 12 and parent.isdigit():
        return parent
    level = {2: 2, 4: 5}.get(len(parent))
    if level is None or not parent.isdigit():
        raise SourceError(say("bdl_parent", value=parent))
    for unit in client.units(level):
        if bdl_unit_to_teryt(str(unit.get("id", ""))) == parent:
            return str(unit["id"])
    raise SourceError(say("bdl_no_unit", code=parent))


def fetch_variables(
    client: BdlClient, request: BdlRequest, on_step: Callable[[str], None] | None = None
) -> list[FetchedVariable]:
    """Fetch metadata (Polish and English) and values of every variable in ``request``."""
    step = on_step or (lambda _m: None)
    parent_id = resolve_parent(client, request.parent)
    fetched = []
    for variable_id in request.variables:
        step(say("step_bdl_metadata", variable=variable_id))
        meta_pl, meta_en = client.variable(variable_id, "pl"), client.variable(variable_id, "en")
        step(say("step_bdl_values", variable=variable_id))
        results = client.data_by_variable(
            variable_id, unit_level=LEVELS[request.level], parent_id=parent_id, years=request.years
        )
        when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        provenance = {
            "service": "GUS BDL",
            "api_version": client.api_version,
            "base_url": client.base_url,
            "variable_id": variable_id,
            "level": request.level,
            "unit_level": LEVELS[request.level],
            "parent": request.parent,
            "parent_bdl_id": parent_id,
            "years": request.years,
            "fetched_at": when,
        }
        indicator = {
            "id": request.indicator_id(variable_id),
            "name_pl": variable_name(client, meta_pl, "pl"),
            "name_en": variable_name(client, meta_en, "en"),
            "unit": str(meta_pl.get("measureUnitName") or "-"),
            "domain": "social",
            "direction": "neutral",
            "source": f"{SOURCE_NAME}, zmienna / variable {variable_id}",
            "licence": LICENCE,
            "description": f"GUS BDL API {client.api_version}, variable {variable_id}, fetched {when}",
        }
        url = f"{client.base_url.rstrip('/')}/data/by-variable/{variable_id}"
        fetched.append(FetchedVariable(variable_id, indicator, results, url, provenance))
    return fetched


def write_variable(
    con: duckdb.DuckDBPyConnection, source_id: str, fetched: FetchedVariable, level: str, rejects: Rejects
) -> dict[str, int]:
    """Replace the observations of ``source_id`` with one fetched variable; units not in the store are rejected."""
    indicator_id = fetched.indicator["id"]
    write_connector_indicator(con, fetched.indicator, source_id)
    known = {code for (code,) in con.execute("SELECT code FROM units WHERE level = ?", [level]).fetchall()}
    taken = dict(
        con.execute(
            "SELECT unit_code || '|' || CAST(year AS TEXT), source_id FROM observations "
            "WHERE indicator_id = ? AND source_id <> ?",
            [indicator_id, source_id],
        ).fetchall()
    )
    label = f"BDL variable {fetched.variable_id}"
    rows = []
    for n, unit in enumerate(fetched.results, start=1):
        teryt = bdl_unit_to_teryt(str(unit.get("id", "")))
        raw = json.dumps(unit, ensure_ascii=False)
        if teryt is None:
            rejects.add(
                source_id,
                label,
                n,
                "id",
                said("bdl_no_teryt", bdl=str(unit.get("id")), name=str(unit.get("name"))),
                raw,
            )
            continue
        if teryt not in known:
            rejects.add(
                source_id,
                label,
                n,
                "id",
                said("bdl_not_in_store", code=teryt, name=str(unit.get("name")), bdl=str(unit.get("id")), level=level),
                raw,
            )
            continue
        for row in observations_from_results([unit], indicator_id):
            key = f"{row['unit_code']}|{row['year']}"
            if key in taken:
                rejects.add(
                    source_id,
                    label,
                    n,
                    "values",
                    said("bdl_taken", code=teryt, indicator=indicator_id, year=row["year"], source=taken[key]),
                    raw,
                )
                continue
            rows.append((teryt, indicator_id, row["year"], row["value"], row["flag"], source_id))
    con.execute("DELETE FROM observations WHERE source_id = ? AND indicator_id = ?", [source_id, indicator_id])
    if rows:
        frame = pd.DataFrame(rows, columns=["unit_code", "indicator_id", "year", "value", "flag", "source_id"])
        insert_frame(con, "observations", frame)
    return {
        "rows_read": sum(len(u.get("values", [])) for u in fetched.results),
        "rows_loaded": len(rows),
        "rows_rejected": rejects.count(source_id),
        "rows_skipped": 0,
    }


def source_id_for(request: BdlRequest, variable_id: int) -> str:
    """One store source per variable, level and parent: re-fetching replaces exactly its own rows."""
    return f"bdl-{variable_id}-{request.level}" + (f"-{request.parent}" if request.parent else "")


@dataclass
class FetchSummary:
    run_id: int
    sources: list[tuple[str, str, dict[str, int]]]  # (source id, indicator id, counts)

    @property
    def rejected(self) -> int:
        return sum(c["rows_rejected"] for _s, _i, c in self.sources)


def fetch_bdl(
    db: store.Store | Path | str, request: BdlRequest, client: BdlClient, on_step: Callable[[str], None] | None = None
) -> FetchSummary:
    """``ldatlas fetch bdl``: fetch everything, then write it into the store in one run (all or nothing)."""
    where = store.locate(db)
    if not store.exists(where):
        raise SourceError(say("bdl_no_store", store=str(where)))
    fetched = fetch_variables(client, request, on_step)  # network first: a failure here changes nothing
    with store.writing(where) as con, run(con, "ldatlas fetch bdl") as current:
        run_id, rejects = current.run_id, current.rejects
        summary = FetchSummary(run_id, [])
        for item in fetched:
            source_id = source_id_for(request, item.variable_id)
            counts = write_variable(con, source_id, item, request.level, rejects)
            current.record(
                source_id, "fetch:bdl", item.url, item.checksum, counts, json.dumps(item.provenance, ensure_ascii=False)
            )
            summary.sources.append((source_id, item.indicator["id"], counts))
        rejects.write(con, [s for s, _i, _c in summary.sources])
        compute_derived(con)  # derived indicators may take these values as inputs
    return summary


def load_bdl_source(
    con: duckdb.DuckDBPyConnection, src: Source, rejects: Rejects, base_dir: Path
) -> tuple[dict[str, int], str]:
    """A ``[[bdl]]`` source of the workspace, loaded by ``ldatlas load``: returns its counts and provenance.

    Answers are cached for a day under ``.ldatlas-cache/bdl`` next to the workspace, so a failed run can be
    repeated without fetching everything again; ``ldatlas load --force`` the next day refreshes the values.
    """
    request = BdlRequest(
        [int(v) for v in src.opt("variables")],
        src.opt("level"),
        src.opt("parent"),
        parse_years(src.opt("years")),
        src.opt("indicator_prefix", "bdl_"),
    )
    client = BdlClient(base_url=src.opt("base_url", DEFAULT_BASE_URL), cache_dir=base_dir / ".ldatlas-cache" / "bdl")
    try:
        fetched = fetch_variables(client, request)
    finally:
        client.close()
    con.execute("DELETE FROM observations WHERE source_id = ?", [src.id])
    totals = {"rows_read": 0, "rows_loaded": 0, "rows_rejected": 0, "rows_skipped": 0}
    for item in fetched:
        counts = write_variable(con, src.id, item, request.level, rejects)
        totals["rows_read"] += counts["rows_read"]
        totals["rows_loaded"] += counts["rows_loaded"]
    totals["rows_rejected"] = rejects.count(src.id)
    return totals, json.dumps([item.provenance for item in fetched], ensure_ascii=False)


def search_bdl(client: BdlClient, text: str, lang: str = "pl") -> list[dict[str, Any]]:
    """Variables matching ``text``: id, name (subject and dimensions), BDL level and unit of measure."""
    rows = []
    for meta in client.search_variables(text, lang=lang):
        rows.append(
            {
                "id": meta.get("id"),
                "name": variable_name(client, meta, lang),
                "level": meta.get("level"),
                "unit": meta.get("measureUnitName", ""),
            }
        )
    return rows
