"""The workspace file declared once, as typed models (pydantic v2): one per section and per source kind.

Every key's type, default and meaning is here; ``docs/workspace.md``'s key reference is generated from these models
(``python -m etl.workspace.reference``). Unknown sections and keys are errors, never silently ignored.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from etl.codes import MATCH_MODES
from etl.texts import say
from etl.workspace.vocabulary import LAYOUTS, LOCATIONS, STATUSES

Code = str | int  # codes are text; a number written without quotes is taken as its digits


class Section(BaseModel):
    """Base of every section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class WorkspaceHead(Section):
    """``[workspace]``: the Atlas's name and how its interface starts."""

    name: str = Field(min_length=1, description="Name shown on every page.")
    language: Literal["pl", "en", "lt"] = Field("pl", description="Default interface language.")
    levels: list[str] = Field(
        ["voivodeship", "powiat", "gmina", "urban_unit"],
        description="Levels of units, coarse to fine; known names get Polish/English names, others are allowed.",
    )
    description: str = Field("", description="A sentence shown on the overview page.")
    synthetic: bool = Field(False, description="Label every page and export as synthetic data (the demo does).")
    basemap_url: str = Field("", description="Optional tile URL template drawn under the map (needs a network).")
    basemap_attribution: str = Field("", description="Attribution shown with the tile basemap.")


class LevelName(Section):
    """``[level_names.<level>]``: how a level is called in the interface."""

    pl: str | None = Field(None, description='Polish name, e.g. "osiedle".')
    en: str | None = Field(None, description='English name, e.g. "neighbourhood".')
    lt: str | None = Field(None, description='Lithuanian name, e.g. "seniūnija" (default: the English one).')


class IndicatorSpec(Section):
    """``[[indicators]]``: one entry of the indicator catalogue."""

    id: str = Field(description="Used in tables and URLs; letters, digits, underscores.")
    name_pl: str = Field(description="Polish name.")
    name_en: str = Field(description="English name.")
    name_lt: str | None = Field(None, description="Lithuanian name (default: the English one).")
    unit: str = Field(description='Unit of measure; "%" means 0–100, counts (osoby, zł, ha, …) can\'t be negative.')
    domain: Literal["economic", "social", "environmental-spatial", "institutional"] = Field(
        description="Which dimension the indicator belongs to."
    )
    direction: Literal["higher_is_better", "lower_is_better", "neutral", "target"] = Field(
        description="Which way is better (neutral: neither; target: closest to `target` is best)."
    )
    target: float | list[float] | None = Field(
        None,
        description='With direction = "target": the best value (e.g. 95) or range (e.g. [90, 100]); the index '
        "scores the distance from it.",
    )
    source: str = Field("", description='Where the numbers come from, e.g. "GUS, BDL P2137".')
    licence: str = Field("", description='Licence of the data, e.g. "CC BY 4.0".')
    description: str = Field("", description="What the indicator measures.")
    min_value: float | None = Field(None, description="Lowest possible value (overrides what the unit implies).")
    max_value: float | None = Field(None, description="Highest possible value (overrides what the unit implies).")
    derived: dict[str, Any] | None = Field(
        None,
        description='Compute from other indicators, e.g. { kind = "per_1000", of = "x", per = "population" }.',
    )
    aggregate: Literal["sum", "weighted_mean"] | None = Field(
        None,
        description='How coarser levels get values from finer ones (gminy → powiaty → województwa): "sum" for '
        'counts, "weighted_mean" (with `weight`) for rates; leave out where adding up is wrong (a median).',
    )
    weight: str | None = Field(None, description='The indicator a weighted mean is weighted by, e.g. "population".')


class GoalSpec(Section):
    """``[[goals]]``: one of the city's strategic goals (a tree: \"1.1\" is under \"1\")."""

    code: Code = Field(description='Goal code, e.g. "1.1".')
    name_pl: str = Field(min_length=1, description="Polish name.")
    name_en: str | None = Field(None, description="English name (default: the Polish one).")
    name_lt: str | None = Field(None, description="Lithuanian name (default: the English one).")
    parent: str | None = Field(None, description="Parent goal code (default: the code without its last part).")


class RowFilter(Section):
    """One test on a column's value (the cell's text, trimmed): exactly one of equals, in, not_in, regex."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    column: str = Field(description="The column (or attribute) tested.")
    equals: str | int | float | None = Field(None, description="The cell is exactly this.")
    in_: list[str | int | float] | None = Field(None, alias="in", description="The cell is one of these.")
    not_in: list[str | int | float] | None = Field(None, description="The cell is none of these.")
    regex: str | None = Field(None, description="The whole cell matches this regular expression.")

    @model_validator(mode="after")
    def _one_test(self) -> RowFilter:
        given = [k for k in ("equals", "in_", "not_in", "regex") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(say("ws_filter_one", column=self.column))
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(say("ws_bad_regex", key="regex", value=self.regex, error=str(exc))) from None
        return self

    def matches(self, cell: str) -> bool:
        text = cell.strip()
        if self.equals is not None:
            return text == _text(self.equals)
        if self.in_ is not None:
            return text in {_text(v) for v in self.in_}
        if self.not_in is not None:
            return text not in {_text(v) for v in self.not_in}
        return re.fullmatch(self.regex or "", text) is not None


def _text(value: str | int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


class CrosswalkSpec(Section):
    """``[[crosswalks]]``: names (or foreign codes) to the store's codes, from a file or inline."""

    id: str = Field(min_length=1, description='How sources name it: `crosswalk = "<id>"`.')
    path: str | None = Field(None, description="A CSV/XLSX with a column of names and a column of codes.")
    from_column: str | None = Field(None, description="The file's column of names (or foreign codes).")
    to_column: str | None = Field(None, description="The file's column of the store's codes.")
    map: dict[str, str] = Field({}, description='Inline names → codes, e.g. { "Stare Miasto" = "0463011-01" }.')
    fold_diacritics: bool = Field(True, description="Compare names without diacritics (Šiauliai = Siauliai).")
    sheet: str | int | None = Field(None, description="Spreadsheet sheet of the file.")
    separator: str | None = Field(None, description="CSV separator (default: detected).")
    encoding: str | None = Field(None, description="Text encoding of the file.")

    @model_validator(mode="after")
    def _file_or_map(self) -> CrosswalkSpec:
        if not self.path and not self.map:
            raise ValueError(say("ws_crosswalk_needs"))
        if self.path and not (self.from_column and self.to_column):
            raise ValueError(say("ws_crosswalk_columns"))
        return self


class Filtered(BaseModel):
    """Keys of sources whose rows or features can be kept or dropped by a column's value."""

    keep_rows: list[RowFilter] = Field(
        [], description='Keep only rows/features passing every test, e.g. [{ column = "typ", in = ["osiedle"] }].'
    )
    drop_rows: list[RowFilter] = Field(
        [], description='Drop rows/features passing any test, e.g. [{ column = "nazwa", equals = "Wrocław" }].'
    )
    crosswalk: str | None = Field(
        None, description='Read the code column through this crosswalk (a [[crosswalks]] id or "lt-municipalities").'
    )

    @field_validator("keep_rows", "drop_rows", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class SourceSpec(Section):
    """Keys every source has."""

    id: str = Field(min_length=1, description="Unique among sources; rows in the store carry it.")
    allow_empty: bool = Field(
        False,
        description="Let this source load nothing without failing the run (by default a source that yields no "
        "unit, value or proposal stops the run: it almost always means a wrong setting).",
    )


class FileTableOptions(BaseModel):
    """How a CSV or spreadsheet is read (tables and proposals)."""

    sheet: str | int | None = Field(None, description="Spreadsheet sheet name or 1-based number (default: the first).")
    header_row: int = Field(1, ge=0, description="1-based row with the column names (0: none, columns are letters).")
    data_start_row: int | None = Field(None, ge=1, description="First data row (default: the row after the header).")
    separator: str | None = Field(None, description="CSV separator (default: detected).")
    encoding: str | None = Field(None, description="Text encoding (default: UTF-8 with or without BOM, else cp1250).")


class BoundariesSpec(SourceSpec, Filtered):
    """``[[boundaries]]``: units of one level with their geometry."""

    path: str = Field(description=".geojson, .gpkg, .shp, or a .zip holding one of them.")
    level: str = Field(description="Level of these units (one of [workspace] levels).")
    code: str = Field(description="Attribute holding the unit code (TERYT: leading zeros restored).")
    name: str = Field(description="Attribute holding the unit name.")
    file: str | None = Field(None, description="Which file inside a zip, when it holds several.")
    layer: str | None = Field(None, description="Which layer of a GeoPackage.")
    where: str | None = Field(None, description="OGR filter on attributes, e.g. \"CNTR_CODE = 'PL'\".")
    encoding: str | None = Field(None, description="Attribute encoding (detected for shapefiles without .cpg).")
    crs: str | None = Field(None, description="CRS when the file does not say; must agree when it does.")
    code_prefix: str = Field("", description='Text put before every code, e.g. "0463011-".')
    code_width: int | None = Field(
        None, ge=0, description="Zero-pad codes to this width (default: the TERYT width of the level; 0: none)."
    )
    parent: str = Field(
        "none",
        description="teryt (longest code prefix of a coarser unit) | contains (unit of parent_level holding most "
        "of the area) | a fixed parent code | none.",
    )
    parent_level: str | None = Field(None, description='Level searched by parent = "contains".')

    @model_validator(mode="after")
    def _parent_level_for_contains(self) -> BoundariesSpec:
        if self.parent == "contains" and not self.parent_level:
            raise ValueError(say("ws_parent_level"))
        return self


class TableSpec(SourceSpec, FileTableOptions, Filtered):
    """``[[tables]]``: an indicator table (CSV, XLSX, XLS) in one of three layouts."""

    path: str = Field(description="The table file: .csv, .txt, .tsv, .xlsx, .xlsm or .xls.")
    level: str = Field(description="Codes are matched against units of this level.")
    code: str = Field(description="Column (name or spreadsheet letter) holding the unit code.")
    layout: Literal["long", "wide_indicators", "wide_years"] = Field(
        "long",
        description="long: a value per row | wide_indicators: a column per indicator | wide_years: a column per year.",
    )
    value: str | None = Field(None, description="Value column (layout long).")
    indicator_column: str | None = Field(None, description="Column naming the indicator (long, wide_years).")
    indicator: str | None = Field(None, description="A fixed indicator id instead of indicator_column.")
    year_column: str | None = Field(None, description="Column holding the year (long, wide_indicators).")
    year: int | None = Field(None, description="A fixed year instead of year_column.")
    columns: dict[str, str] = Field(
        {}, description='Column → indicator id (layout wide_indicators), e.g. { C = "population" }.'
    )
    years: Literal["auto"] | dict[str, int] = Field(
        "auto", description='Layout wide_years: "auto" (headers that look like years) or { "2024 r." = 2024 }.'
    )
    flag_column: str | None = Field(None, description="Column with a flag per value.")
    flags: dict[str, str] = Field({}, description='Flag text → stored flag, e.g. { p = "preliminary" }.')
    decimal: Literal[",", "."] | None = Field(
        None, description='Decimal mark (default: "," unless the separator is ",").'
    )
    dash_is_zero: bool = Field(True, description='"-" means zero (as GUS writes it).')
    code_match: str = Field("exact", description="exact | teryt6 (gminy whose type digit changed match on 6 digits).")
    keep_codes: str | None = Field(
        None, description="Regular expression: rows whose code does not match are skipped and counted."
    )
    code_prefix: str = Field("", description="Text put before every code.")
    code_width: int | None = Field(None, ge=0, description="Zero-pad codes to this width (default: TERYT width).")

    @model_validator(mode="after")
    def _layout_needs(self) -> TableSpec:
        problems = []
        has_year = self.year is not None or self.year_column
        has_indicator = self.indicator or self.indicator_column
        if self.layout == "long":
            if not self.value:
                problems.append(say("ws_long_value"))
            if not has_indicator:
                problems.append(say("ws_long_indicator"))
            if not has_year:
                problems.append(say("ws_long_year"))
        elif self.layout == "wide_indicators":
            if not self.columns:
                problems.append(say("ws_wide_columns"))
            if not has_year:
                problems.append(say("ws_wide_year"))
        elif not has_indicator:
            problems.append(say("ws_years_indicator"))
        if self.code_match not in MATCH_MODES:
            problems.append(say("ws_one_of", key="code_match", values=", ".join(MATCH_MODES)))
        if self.keep_codes:
            try:
                re.compile(self.keep_codes)
            except re.error as exc:
                problems.append(say("ws_bad_regex", key="keep_codes", value=self.keep_codes, error=str(exc)))
        if problems:
            raise ValueError(say("ws_all", parts=problems))
        return self


class BdlSpec(SourceSpec):
    """``[[bdl]]``: GUS BDL variables fetched by ``ldatlas load``."""

    variables: list[int] = Field(min_length=1, description="BDL variable ids (`ldatlas search bdl` finds them).")
    level: Literal["gmina", "powiat", "voivodeship"] = Field(description="Level of the units fetched.")
    parent: str | None = Field(None, description="Only units inside this TERYT voivodeship/powiat or BDL id.")
    years: str | None = Field(None, description='"2013-2024" or "2019,2021" (default: every year the API has).')
    indicator_prefix: str = Field("bdl_", description="Indicator ids are <prefix><variable>.")
    base_url: str = Field("https://bdl.stat.gov.pl/api/v1", description="The API's address (a mirror, a proxy).")


class ProposalsSpec(SourceSpec, FileTableOptions, Filtered):
    """``[[proposals]]``: residents' project proposals (CSV, XLSX, or a point layer)."""

    path: str = Field(
        description="CSV, XLSX, a GeoJSON/GeoPackage point layer, or a JSON file of records (see `records`)."
    )
    title: str = Field(description="Column with the proposal's title.")
    status: str | None = Field(None, description="Column with the status (mapped by status_map).")
    status_value: str | None = Field(
        None, description='One status for every row, when the file has no status column, e.g. "submitted".'
    )
    status_default: str | None = Field(None, description="The status of rows whose status cell is empty.")
    records: str | None = Field(
        None,
        description="For a JSON file that is not GeoJSON: the dotted path to its list of records, e.g. "
        '"data.items" (default: the file itself is the list).',
    )
    city_wide_when: RowFilter | None = Field(
        None,
        description="Rows passing this test are city-wide whatever their location, e.g. "
        '{ column = "adres", equals = "Toruń" } for proposals located only by the city\'s name.',
    )
    location: Literal["lonlat", "xy", "geometry", "wkt", "unit", "city_wide"] | None = Field(
        None,
        description="lonlat | xy (+ crs) | geometry (a point layer) | wkt | unit | city_wide "
        "(default: geometry for a point layer, else lonlat).",
    )
    lon: str | None = Field(None, description="Longitude column (location lonlat).")
    lat: str | None = Field(None, description="Latitude column (location lonlat).")
    x: str | None = Field(None, description="X column (location xy).")
    y: str | None = Field(None, description="Y column (location xy).")
    crs: str | None = Field(None, description='CRS of x/y, or of a point layer without one, e.g. "EPSG:2180".')
    wkt: str | None = Field(None, description="Column with WKT points (location wkt).")
    unit_column: str | None = Field(None, description="Column naming the proposal's unit (location unit).")
    layer: str | None = Field(None, description="Which layer of a GeoPackage.")
    missing_location: Literal["reject", "city_wide"] = Field(
        "reject", description="Rows without a location: reject them, or keep them as city-wide."
    )
    city_unit: str | None = Field(None, description="The unit city-wide proposals belong to.")
    level: str | None = Field(None, description="Assign points to units of this level (default: the finest).")
    shared_point_min: int = Field(
        2,
        ge=2,
        description='This many proposals on exactly the same point are "not precisely located" (a geocoder\'s '
        "fallback or a district's centre used for many); they keep the point and are flagged, never dropped.",
    )
    id_column: str | None = Field(None, description="Column with the proposal's number (default: row-based ids).")
    description: str | None = Field(None, description="Column with the description.")
    goal: str | None = Field(None, description="Column with goal codes from [[goals]].")
    category: str | None = Field(None, description="Column with a category.")
    status_map: dict[str, str] = Field({}, description=f"Status text → one of {', '.join(STATUSES)}.")
    cost: str | None = Field(None, description="Column with the cost in PLN.")
    votes: str | None = Field(None, description="Column with the number of votes.")
    edition_column: str | None = Field(None, description="Column with the edition (year of the call).")
    edition: str | int | None = Field(None, description="A fixed edition instead of edition_column.")
    submitter_type: str | None = Field(None, description="Column with the kind of submitter.")
    decimal: Literal[",", "."] = Field(",", description="Decimal mark of costs and coordinates.")

    @model_validator(mode="after")
    def _location_needs(self) -> ProposalsSpec:
        problems = []
        needs = {"lonlat": ("lon", "lat"), "xy": ("x", "y", "crs"), "wkt": ("wkt",), "unit": ("unit_column",)}
        for key in needs.get(self.location or "", ()):
            if not getattr(self, key):
                problems.append(say("ws_location_needs", location=self.location, key=key))
        for word, status in self.status_map.items():
            if status not in STATUSES:
                problems.append(say("ws_status_map", word=word, status=status, values=", ".join(STATUSES)))
        if not self.status and not self.status_value:
            problems.append(say("ws_status_needed"))
        for key in ("status_value", "status_default"):
            value = getattr(self, key)
            if value is not None and value not in STATUSES:
                problems.append(say("ws_not_one_of", key=key, value=value, values=", ".join(STATUSES)))
        if problems:
            raise ValueError(say("ws_all", parts=problems))
        return self


class AreaSpec(SourceSpec):
    """``[[areas]]``: a programme area: a list of member units, or its own polygon."""

    name: str = Field(min_length=1, description="Name shown in the interface.")
    kind: str = Field(min_length=1, description="lsr | revitalisation | degraded | functional_urban_area | your own.")
    programme: str | None = Field(None, description='Programme, e.g. "RLKS".')
    period: str | None = Field(None, description='Programming period, e.g. "2021–2027".')
    members: list[Code] = Field([], description="Member unit codes.")
    path: str | None = Field(None, description="… or the area's own polygon (any boundary format).")
    level: str | None = Field(None, description="With path: the level whose units it covers (each with its share).")
    layer: str | None = Field(None, description="Which layer of a GeoPackage.")
    crs: str | None = Field(None, description="CRS of the polygon file when it does not say.")

    @model_validator(mode="after")
    def _members_or_path(self) -> AreaSpec:
        if not self.members and not self.path:
            raise ValueError(say("ws_area_needs"))
        if self.path and not self.level:
            raise ValueError(say("ws_area_level"))
        return self


class TypologySpec(SourceSpec, FileTableOptions):
    """``[[typologies]]``: a class for each unit (e.g. the functional types of gminy A–J), for comparison groups:
    Compare offers each class, and each class crossed with the population size classes."""

    path: str = Field(description="The table file: .csv, .txt, .tsv, .xlsx, .xlsm or .xls.")
    level: str = Field(description="Codes are matched against units of this level.")
    code: str = Field(description="Column (name or spreadsheet letter) holding the unit code.")
    class_column: str = Field(description="Column holding each unit's class (e.g. A, B, ... or words).")
    name_pl: str = Field(min_length=1, description="The typology's name shown in Polish.")
    name_en: str | None = Field(None, description="… in English (default: the Polish name).")
    name_lt: str | None = Field(None, description="… in Lithuanian (default: the English name).")
    classes: dict[str, str] = Field(
        {}, description='Words for the classes in Polish, e.g. { A = "miasta wojewódzkie", B = "ośrodki regionalne" }.'
    )
    classes_en: dict[str, str] = Field({}, description="… in English (default: the Polish words).")
    classes_lt: dict[str, str] = Field({}, description="… in Lithuanian (default: the English words).")
    code_prefix: str = Field("", description="Text put before every code (as for boundaries).")
    code_width: int | None = Field(None, ge=0, description="Zero-pad codes to this width (default: TERYT width).")


#: Array-of-tables sections holding sources: section name → (source kind, model).
SOURCE_SECTIONS: dict[str, tuple[str, type[SourceSpec]]] = {
    "boundaries": ("boundaries", BoundariesSpec),
    "tables": ("table", TableSpec),
    "bdl": ("bdl", BdlSpec),
    "proposals": ("proposals", ProposalsSpec),
    "areas": ("area", AreaSpec),
    "typologies": ("typology", TypologySpec),
}
SOURCE_MODELS: dict[str, type[SourceSpec]] = {kind: model for kind, model in SOURCE_SECTIONS.values()}


class WorkspaceFile(Section):
    """The whole file: its sections."""

    workspace: WorkspaceHead
    level_names: dict[str, LevelName] = {}
    indicators: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    boundaries: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    bdl: list[dict[str, Any]] = []
    proposals: list[dict[str, Any]] = []
    areas: list[dict[str, Any]] = []
    typologies: list[dict[str, Any]] = []
    crosswalks: list[dict[str, Any]] = []


#: Sections in the order the reference documents them: (how the file writes it, model).
DOCUMENTED: list[tuple[str, type[BaseModel]]] = [
    ("[workspace]", WorkspaceHead),
    ("[level_names.<level>]", LevelName),
    ("[[indicators]]", IndicatorSpec),
    ("[[boundaries]]", BoundariesSpec),
    ("[[tables]]", TableSpec),
    ("[[bdl]]", BdlSpec),
    ("[[goals]]", GoalSpec),
    ("[[proposals]]", ProposalsSpec),
    ("[[areas]]", AreaSpec),
    ("[[typologies]]", TypologySpec),
    ("[[crosswalks]]", CrosswalkSpec),
    ("keep_rows / drop_rows", RowFilter),
]

__all__ = ["DOCUMENTED", "LAYOUTS", "LOCATIONS", "SOURCE_MODELS", "SOURCE_SECTIONS", "WorkspaceFile"]
