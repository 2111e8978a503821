"""The workspace file (TOML): what a city's Atlas holds and where each piece comes from.

See ``docs/workspace.md`` for the format with a complete example.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.codes import MATCH_MODES, TERYT_WIDTH
from etl.errors import WorkspaceError
from etl.workspace.vocabulary import AREA_KINDS, KNOWN_LEVELS, LAYOUTS, LOCATIONS, PARENT_RULES, STATUSES  # noqa: F401
from indicators.catalogue import Indicator, indicator_from_mapping
from indicators.errors import CatalogueError

#: Bump when loading logic changes in a way that should reload unchanged files.
LOADER_VERSION = "1"


@dataclass(frozen=True)
class Level:
    id: str
    rank: int
    name_pl: str
    name_en: str


@dataclass(frozen=True)
class Goal:
    code: str
    parent_code: str | None
    name_pl: str
    name_en: str


@dataclass
class Source:
    """What the workspace loads: boundaries, an indicator table, proposals, or a programme area."""

    id: str
    kind: str  # 'boundaries' | 'table' | 'bdl' | 'proposals' | 'area'
    path: Path | None  # None for an area given as a list of members
    options: dict[str, Any]
    _checksum: str | None = field(default=None, repr=False, compare=False)

    def opt(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def checksum(self) -> str:
        """sha256 of the file's bytes, its settings and the loader version: unchanged means nothing to do.

        Computed once per Source object (a run reads the file's state when it plans).
        """
        if self._checksum is None:
            self._checksum = self._compute_checksum()
        return self._checksum

    def _compute_checksum(self) -> str:
        digest = hashlib.sha256()
        if self.path is not None:
            with open(self.path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        digest.update(json.dumps(self.options, sort_keys=True, default=str).encode())
        digest.update(LOADER_VERSION.encode())
        return digest.hexdigest()


@dataclass
class Workspace:
    path: Path
    name: str
    language: str
    levels: list[Level]
    indicators: list[Indicator]
    sources: list[Source]
    goals: list[Goal] = field(default_factory=list)
    synthetic: bool = False
    description: str = ""
    basemap_url: str = ""          # optional tile basemap for the map, e.g. an OSM or WMTS URL template
    basemap_attribution: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def meta_checksum(self) -> str:
        """sha256 of everything in the workspace that is not a file: name, levels, catalogue."""
        payload = {
            "name": self.name, "language": self.language, "synthetic": self.synthetic,
            "description": self.description, "basemap_url": self.basemap_url,
            "basemap_attribution": self.basemap_attribution, "levels": [vars(lv) for lv in self.levels],
            "indicators": [i.row("") for i in self.indicators], "loader": LOADER_VERSION,
            "goals": [vars(g) for g in self.goals],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _resolve_path(raw: str, base: Path, where: str) -> Path:
    def env(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise WorkspaceError(f"{where}: path uses ${{{name}}}, but that environment variable is not set")
        return os.environ[name]

    path = Path(_ENV.sub(env, raw)).expanduser()
    return path if path.is_absolute() else (base / path)


def _levels(raw: Any, names: dict[str, Any]) -> list[Level]:
    if raw is None:
        raw = ["voivodeship", "powiat", "gmina", "urban_unit"]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise WorkspaceError("[workspace] levels must be a list of level names, coarse to fine")
    levels = []
    for rank, level_id in enumerate(raw):
        pl, en = KNOWN_LEVELS.get(level_id, (level_id, level_id))
        custom = names.get(level_id, {})
        levels.append(Level(level_id, rank, custom.get("pl", pl), custom.get("en", en)))
    return levels


def _check_source(entry: dict, kind: str, where: str, levels: set[str]) -> list[str]:
    problems = []
    required = {"boundaries": ("id", "path", "level", "code"), "table": ("id", "path", "level", "code"),
                "proposals": ("id", "path", "title", "status"), "area": ("id", "name", "kind"),
                "bdl": ("id", "variables", "level")}[kind]
    for key in required:
        if not entry.get(key):
            problems.append(f"`{key}` is missing")
    if entry.get("level") and entry["level"] not in levels:
        problems.append(f"level '{entry['level']}' is not in [workspace] levels ({', '.join(sorted(levels))})")
    if kind == "boundaries":
        if not entry.get("name"):
            problems.append("`name` (the column with unit names) is missing")
        parent = entry.get("parent", "none")
        if parent == "contains" and not entry.get("parent_level"):
            problems.append("parent = \"contains\" needs `parent_level`, e.g. \"gmina\"")
    elif kind == "proposals":
        location = entry.get("location", "lonlat")
        if location not in LOCATIONS:
            problems.append(f"location '{location}' is not one of {', '.join(LOCATIONS)}")
        needs = {"lonlat": ("lon", "lat"), "xy": ("x", "y", "crs"), "wkt": ("wkt",), "unit": ("unit_column",)}
        for key in needs.get(location, ()):
            if not entry.get(key):
                problems.append(f"location \"{location}\" needs `{key}`")
        for word, status in (entry.get("status_map") or {}).items():
            if status not in STATUSES:
                problems.append(f"status_map maps '{word}' to '{status}', not one of {', '.join(STATUSES)}")
    elif kind == "bdl":
        if entry.get("level") and entry["level"] not in ("gmina", "powiat", "voivodeship"):
            problems.append("a GUS BDL source's level must be gmina, powiat or voivodeship")
        variables = entry.get("variables")
        if variables and not (isinstance(variables, list) and all(isinstance(v, int) for v in variables)):
            problems.append("`variables` must be a list of BDL variable ids, e.g. [72305, 60559]")
    elif kind == "area":
        if not entry.get("members") and not entry.get("path"):
            problems.append("an area needs `members = [unit codes]` or `path` to its polygon")
        if entry.get("path") and not entry.get("level"):
            problems.append("an area drawn as a polygon needs `level`: which units it is made of")
    else:
        layout = entry.get("layout", "long")
        if layout not in LAYOUTS:
            problems.append(f"layout '{layout}' is not one of {', '.join(LAYOUTS)}")
        if layout == "long":
            if not entry.get("value"):
                problems.append("layout \"long\" needs `value` (the value column)")
            if not (entry.get("indicator") or entry.get("indicator_column")):
                problems.append("layout \"long\" needs `indicator_column` or a fixed `indicator`")
            if not (entry.get("year") or entry.get("year_column")):
                problems.append("layout \"long\" needs `year_column` or a fixed `year`")
        if layout == "wide_indicators":
            if not isinstance(entry.get("columns"), dict) or not entry.get("columns"):
                problems.append("layout \"wide_indicators\" needs `columns = { \"column\" = \"indicator_id\" }`")
            if not (entry.get("year") or entry.get("year_column")):
                problems.append("layout \"wide_indicators\" needs `year_column` or a fixed `year`")
        if layout == "wide_years":
            if not (entry.get("indicator") or entry.get("indicator_column")):
                problems.append("layout \"wide_years\" needs a fixed `indicator` or `indicator_column`")
        if entry.get("code_match", "exact") not in MATCH_MODES:
            problems.append(f"code_match must be one of {', '.join(MATCH_MODES)}")
        if entry.get("keep_codes"):
            try:
                re.compile(entry["keep_codes"])
            except re.error as exc:
                problems.append(f"keep_codes is not a valid regular expression: {exc}")
    return [f"{where}: {p}" for p in problems]


def read_workspace(path: Path | str) -> Workspace:
    """Parse and check a workspace file; every problem is reported at once."""
    path = Path(path)
    if not path.exists():
        raise WorkspaceError(f"Workspace file not found: {path}")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path.name} is not valid TOML: {exc}") from exc
    base = path.parent.absolute()
    head = data.get("workspace", {})
    problems: list[str] = []
    if not head.get("name"):
        problems.append("[workspace] needs a `name`")
    language = head.get("language", "pl")
    if language not in ("pl", "en", "lt"):
        problems.append("[workspace] language must be \"pl\", \"en\" or \"lt\"")
    try:
        levels = _levels(head.get("levels"), data.get("level_names", {}))
    except WorkspaceError as exc:
        problems.append(str(exc))
        levels = []
    level_ids = {lv.id for lv in levels}

    indicators = []
    seen_ind: set[str] = set()
    for i, entry in enumerate(data.get("indicators", []), start=1):
        where = f"[[indicators]] #{i} ({entry.get('id', '?')})"
        try:
            ind = indicator_from_mapping(entry, where=where)
        except CatalogueError as exc:
            problems.append(str(exc))
            continue
        if ind.id in seen_ind:
            problems.append(f"{where}: indicator id '{ind.id}' is declared twice")
        seen_ind.add(ind.id)
        indicators.append(ind)

    sources: list[Source] = []
    seen_src: set[str] = set()
    for kind, key in (("boundaries", "boundaries"), ("table", "tables"), ("bdl", "bdl"), ("proposals", "proposals"),
                      ("area", "areas")):
        for i, entry in enumerate(data.get(key, []), start=1):
            where = f"[[{key}]] #{i} ({entry.get('id', '?')})"
            found = _check_source(entry, kind, where, level_ids)
            if entry.get("id") in seen_src:
                found.append(f"{where}: source id '{entry['id']}' is used twice")
            seen_src.add(entry.get("id"))
            if found:
                problems.extend(found)
                continue
            src_path = None
            try:
                if entry.get("path"):
                    src_path = _resolve_path(entry["path"], base, where)
            except WorkspaceError as exc:
                problems.append(str(exc))
                continue
            if src_path is not None and not src_path.exists():
                problems.append(f"{where}: file not found: {src_path}")
                continue
            options = {k: v for k, v in entry.items() if k not in ("id", "path")}
            if kind == "table":
                for column, ind_id in (entry.get("columns") or {}).items():
                    if ind_id not in seen_ind:
                        problems.append(f"{where}: column '{column}' maps to unknown indicator '{ind_id}'")
                if entry.get("indicator") and entry["indicator"] not in seen_ind:
                    problems.append(f"{where}: unknown indicator '{entry['indicator']}'")
            sources.append(Source(entry["id"], kind, src_path, options))
    goals = []
    for i, entry in enumerate(data.get("goals", []), start=1):
        code = str(entry.get("code", "")).strip()
        if not code or not entry.get("name_pl"):
            problems.append(f"[[goals]] #{i}: needs `code` and `name_pl`")
            continue
        parent = entry.get("parent") or (code.rsplit(".", 1)[0] if "." in code else None)
        goals.append(Goal(code, parent, entry["name_pl"], entry.get("name_en", entry["name_pl"])))
    goal_codes = {g.code for g in goals}
    for goal in goals:
        if goal.parent_code and goal.parent_code not in goal_codes:
            problems.append(f"[[goals]] {goal.code}: parent goal '{goal.parent_code}' is not declared")
    if problems:
        raise WorkspaceError(f"{path.name} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    return Workspace(
        path=path.absolute(), name=head["name"], language=language, levels=levels, indicators=indicators,
        sources=sources, goals=goals, synthetic=bool(head.get("synthetic", False)),
        description=head.get("description", ""),
        basemap_url=head.get("basemap_url", ""), basemap_attribution=head.get("basemap_attribution", ""),
        settings=data.get("settings", {}),
    )


def code_width(source: Source) -> int | None:
    """Width codes are zero-padded to: ``code_width`` if set, else the TERYT width of the level."""
    if "code_width" in source.options:
        return int(source.options["code_width"]) or None
    if source.opt("code_prefix"):
        return None
    return TERYT_WIDTH.get(source.opt("level"))
