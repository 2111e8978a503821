"""Reading a workspace file: TOML checked against the models of :mod:`etl.workspace.models`, every problem at once.

Each problem names the section, the source and the line, and for an unknown key or section the closest known one.
See ``docs/workspace.md`` for the format with a complete example.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from etl.codes import TERYT_WIDTH
from etl.errors import WorkspaceError
from etl.texts import say
from etl.workspace.models import (
    SOURCE_MODELS,
    SOURCE_SECTIONS,
    CrosswalkSpec,
    GoalSpec,
    IndicatorSpec,
    LevelName,
    SourceSpec,
    TableSpec,
    WorkspaceFile,
    WorkspaceHead,
)
from etl.workspace.vocabulary import BUILTIN_CROSSWALKS, KNOWN_LEVELS
from indicators.catalogue import Indicator, indicator_from_mapping
from indicators.errors import CatalogueError
from indicators.translation import as_raised

#: Bump when loading logic changes in a way that should reload unchanged files.
LOADER_VERSION = "1"


@dataclass(frozen=True)
class Level:
    id: str
    rank: int
    name_pl: str
    name_en: str
    name_lt: str


@dataclass(frozen=True)
class Goal:
    code: str
    parent_code: str | None
    name_pl: str
    name_en: str
    name_lt: str | None = None


@dataclass
class Source:
    """What the workspace loads: boundaries, an indicator table, proposals, or a programme area."""

    id: str
    kind: str  # 'boundaries' | 'table' | 'bdl' | 'proposals' | 'area'
    path: Path | None  # None for an area given as a list of members
    options: dict[str, Any]  # the keys as written in the file (less id and path): part of the checksum
    spec: SourceSpec | None = field(default=None, repr=False, compare=False)  # the same, typed, with defaults
    _checksum: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.spec is None:
            fields = {"id": self.id, **self.options}
            if self.path is not None:
                fields["path"] = str(self.path)
            self.spec = SOURCE_MODELS[self.kind].model_validate(fields)

    @property
    def file(self) -> Path:
        """The source's file (every kind but an area given by its members has one)."""
        if self.path is None:
            raise WorkspaceError(say("ws_no_path", source=self.id))
        return self.path

    def opt(self, key: str, default: Any = None) -> Any:
        """The option ``key`` of this source as the model reads it (its default when the file leaves it out).

        ``default`` is used only when the model's value is empty (None). A key the model does not declare is a
        programming error (:class:`AttributeError`), not a silent None.
        """
        value = getattr(self.spec, key)
        return default if value is None else value

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
    basemap_url: str = ""  # optional tile basemap for the map, e.g. an OSM or WMTS URL template
    basemap_attribution: str = ""
    crosswalks: list[tuple[CrosswalkSpec, Path | None]] = field(default_factory=list)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def meta_checksum(self) -> str:
        """sha256 of everything in the workspace that is not a file: name, levels, catalogue."""
        payload = {
            "name": self.name,
            "language": self.language,
            "synthetic": self.synthetic,
            "description": self.description,
            "basemap_url": self.basemap_url,
            "basemap_attribution": self.basemap_attribution,
            "levels": [vars(lv) for lv in self.levels],
            "indicators": [i.row("") for i in self.indicators],
            "loader": LOADER_VERSION,
            "goals": [vars(g) for g in self.goals],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _resolve_path(raw: str, base: Path, where: str) -> Path:
    def env(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise WorkspaceError(say("ws_env_unset", where=where, name=name))
        return os.environ[name]

    path = Path(_ENV.sub(env, raw)).expanduser()
    return path if path.is_absolute() else (base / path)


def _levels(levels: list[str], names: dict[str, LevelName]) -> list[Level]:
    out = []
    for rank, level_id in enumerate(levels):
        pl, en, lt = KNOWN_LEVELS.get(level_id, (level_id, level_id, level_id))
        custom = names.get(level_id) or LevelName()
        out.append(Level(level_id, rank, custom.pl or pl, custom.en or en, custom.lt or custom.en or lt))
    return out


class _Lines:
    """Finds where a section or a key is written, for messages (TOML parsers do not keep line numbers)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def section(self, name: str, index: int | None = None) -> int | None:
        """1-based line of ``[name]`` (``index`` None) or of the ``index``-th ``[[name]]``."""
        if index is None:
            pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        else:
            pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        seen = -1
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                seen += 1
                if index is None or seen == index:
                    return number
        return None

    def key(self, start: int | None, key: str) -> int | None:
        """1-based line where ``key = ...`` is written in the section starting at line ``start``."""
        if start is None:
            return None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return number + 1
        return start


def _at(line: int | None) -> object:
    """`` (line 12)`` in the reader's language, or nothing."""
    return say("ws_at", line=line) if line else ""


#: pydantic's error types the reader's language has words for (the rest keep pydantic's English).
_PYDANTIC = {
    "literal_error": "pyd_literal_error",
    "int_type": "pyd_int",
    "int_parsing": "pyd_int",
    "int_from_float": "pyd_int",
    "float_type": "pyd_float",
    "float_parsing": "pyd_float",
    "bool_type": "pyd_bool",
    "bool_parsing": "pyd_bool",
    "string_type": "pyd_string",
    "list_type": "pyd_list",
    "dict_type": "pyd_dict",
    "model_type": "pyd_dict",
    "greater_than": "pyd_greater_than",
    "greater_than_equal": "pyd_greater_than_equal",
    "less_than": "pyd_less_than",
    "less_than_equal": "pyd_less_than_equal",
}


def _pydanticas_raised(error: Any) -> object:
    """What pydantic found wrong, in the reader's language: a validator's own phrase, a known error type's words,
    else pydantic's English."""
    context = error.get("ctx") or {}
    raised = context.get("error")
    if isinstance(raised, BaseException):
        return as_raised(raised)
    key = _PYDANTIC.get(error["type"])
    if key:
        # pydantic writes a choice as "'a', 'b' or 'c'": a plain list reads in every language
        return say(key, **{k: str(v).replace("' or '", "', '") for k, v in context.items()})
    return str(error["msg"]).removeprefix("Value error, ")


def _validation_problems(
    exc: ValidationError, model: type[BaseModel], where: str, lines: _Lines, start: int | None
) -> list[object]:
    """One sentence per pydantic error: the key, what is wrong, the line; the closest key for an unknown one."""
    problems: list[object] = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        key = loc[0] if loc else ""
        line = lines.key(start, key) if key else start
        if error["type"] == "extra_forbidden":
            close = get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
            hint = (
                say("ws_did_you_mean_key", key=close[0])
                if close
                else say("ws_known_keys", keys=", ".join(model.model_fields))
            )
            problems.append(say("ws_unknown_key", key=key, where=where, at=_at(line), hint=hint))
        elif error["type"] == "missing":
            problems.append(say("ws_missing_key", key=key, where=where, at=_at(start)))
        elif not loc:
            problems.append(say("ws_invalid", where=where, message=_pydanticas_raised(error), at=_at(start)))
        else:
            got = error.get("input")
            shown = say("ws_got", value=repr(got)) if not isinstance(got, dict | list) else ""
            problems.append(
                say(
                    "ws_invalid_key",
                    where=where,
                    key=".".join(loc),
                    message=_pydanticas_raised(error),
                    got=shown,
                    at=_at(line),
                )
            )
    return problems


def _check(
    model: type[BaseModel], entry: Any, where: str, lines: _Lines, start: int | None, problems: list[object]
) -> Any:
    """``model`` validated from ``entry``, or None with its problems added to ``problems``."""
    if not isinstance(entry, dict):
        problems.append(say("ws_not_table", where=where, at=_at(start)))
        return None
    try:
        return model.model_validate(entry)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, model, where, lines, start))
        return None


def _unknown_sections(data: dict[str, Any], lines: _Lines) -> list[object]:
    known = list(WorkspaceFile.model_fields)
    problems: list[object] = []
    for key, value in data.items():
        if key in known:
            continue
        array = isinstance(value, list)
        written = f"[[{key}]]" if array else f"[{key}]"
        line = lines.section(key, 0 if array else None)
        close = get_close_matches(key, known, n=1, cutoff=0.6)
        arrays = (*SOURCE_SECTIONS, "indicators", "goals", "crosswalks")
        if close:
            written_close = f"[[{close[0]}]]" if close[0] in arrays else f"[{close[0]}]"
            hint: object = say("ws_did_you_mean_section", section=written_close)
        else:
            hint = say("ws_known_sections", sections=", ".join(known))
        problems.append(say("ws_unknown_section", section=written, at=_at(line), hint=hint))
    for key in (*SOURCE_SECTIONS, "indicators", "goals", "crosswalks"):
        if key in data and not isinstance(data[key], list):
            problems.append(say("ws_array_section", key=key, at=_at(lines.section(key))))
    return problems


def read_workspace(path: Path | str) -> Workspace:
    """Parse and check a workspace file; every problem is reported at once."""
    path = Path(path)
    if not path.exists():
        raise WorkspaceError(say("ws_not_found", path=str(path)))
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(say("ws_not_toml", file=path.name, error=str(exc))) from exc
    base = path.parent.absolute()
    lines = _Lines(text)
    problems = _unknown_sections(data, lines)
    if "workspace" not in data:
        problems.append(say("ws_no_head"))
    head = _check(WorkspaceHead, data.get("workspace", {}), "[workspace]", lines, lines.section("workspace"), problems)
    names: dict[str, LevelName] = {}
    for level_id, entry in (data.get("level_names") or {}).items():
        found = _check(
            LevelName, entry, f"[level_names.{level_id}]", lines, lines.section(f"level_names.{level_id}"), problems
        )
        if found is not None:
            names[level_id] = found
    levels = _levels(head.levels if head else WorkspaceHead.model_fields["levels"].default, names)
    level_ids = {lv.id for lv in levels}

    def entries(key: str) -> list[tuple[int, Any]]:
        value = data.get(key, [])
        return list(enumerate(value)) if isinstance(value, list) else []

    indicators = []
    seen_ind: set[str] = set()
    for i, entry in entries("indicators"):
        label = entry.get("id", "?") if isinstance(entry, dict) else "?"
        where = f"[[indicators]] #{i + 1} ({label})"
        if _check(IndicatorSpec, entry, where, lines, lines.section("indicators", i), problems) is None:
            continue
        try:
            ind = indicator_from_mapping(entry, where=where)
        except CatalogueError as exc:
            problems.append(as_raised(exc))
            continue
        if ind.id in seen_ind:
            problems.append(say("ws_indicator_twice", where=where, id=ind.id))
        seen_ind.add(ind.id)
        indicators.append(ind)

    crosswalks: list[tuple[CrosswalkSpec, Path | None]] = []
    for i, entry in entries("crosswalks"):
        label = entry.get("id", "?") if isinstance(entry, dict) else "?"
        start = lines.section("crosswalks", i)
        walk = _check(CrosswalkSpec, entry, f"[[crosswalks]] '{label}'", lines, start, problems)
        if walk is None:
            continue
        walk_path = None
        if walk.path:
            try:
                walk_path = _resolve_path(walk.path, base, f"[[crosswalks]] '{walk.id}'")
            except WorkspaceError as exc:
                problems.append(as_raised(exc))
                continue
            if not walk_path.exists():
                problems.append(
                    say("ws_file_not_found", where=f"[[crosswalks]] '{walk.id}'", path=str(walk_path), at=_at(start))
                )
                continue
        crosswalks.append((walk, walk_path))
    crosswalk_ids = {w.id for w, _p in crosswalks} | set(BUILTIN_CROSSWALKS)

    sources: list[Source] = []
    seen_src: set[str] = set()
    for key, (kind, model) in SOURCE_SECTIONS.items():
        for i, entry in entries(key):
            label = entry.get("id", "?") if isinstance(entry, dict) else "?"
            where = f"[[{key}]] '{label}'" if label != "?" else f"[[{key}]] #{i + 1}"
            start = lines.section(key, i)
            level = entry.get("level") if isinstance(entry, dict) else None
            if level and level_ids and level not in level_ids:
                problems.append(
                    say(
                        "ws_unknown_level",
                        where=where,
                        level=level,
                        levels=", ".join(sorted(level_ids)),
                        at=_at(lines.key(start, "level")),
                    )
                )
            spec = _check(model, entry, where, lines, start, problems)
            if spec is None:
                continue
            found = []
            if spec.id in seen_src:
                found.append(say("ws_source_twice", where=where, id=spec.id, at=_at(start)))
            seen_src.add(spec.id)
            src_path = None
            raw_path = getattr(spec, "path", None)
            if raw_path and not found:
                try:
                    src_path = _resolve_path(raw_path, base, where)
                except WorkspaceError as exc:
                    found.append(as_raised(exc))
                else:
                    if not src_path.exists():
                        at = _at(lines.key(start, "path"))
                        found.append(say("ws_file_not_found", where=where, path=str(src_path), at=at))
            walk_id = getattr(spec, "crosswalk", None)
            if walk_id and walk_id not in crosswalk_ids:
                close = get_close_matches(walk_id, sorted(crosswalk_ids), n=1)
                hint = (
                    say("ws_did_you_mean", value=close[0])
                    if close
                    else say("ws_known", values=", ".join(sorted(crosswalk_ids)))
                )
                at = _at(lines.key(start, "crosswalk"))
                found.append(say("ws_no_crosswalk", where=where, id=walk_id, at=at, hint=hint))
            if isinstance(spec, TableSpec):
                for column, ind_id in spec.columns.items():
                    if ind_id not in seen_ind:
                        found.append(say("ws_column_unknown_indicator", where=where, column=column, id=ind_id))
                if spec.indicator and spec.indicator not in seen_ind:
                    found.append(say("ws_unknown_indicator", where=where, id=spec.indicator))
            if found:
                problems.extend(found)
                continue
            options = {k: v for k, v in entry.items() if k not in ("id", "path")}
            sources.append(Source(spec.id, kind, src_path, options, spec))

    goals = []
    for i, entry in entries("goals"):
        spec = _check(GoalSpec, entry, f"[[goals]] #{i + 1}", lines, lines.section("goals", i), problems)
        if spec is None:
            continue
        code = str(spec.code).strip()
        parent = spec.parent or (code.rsplit(".", 1)[0] if "." in code else None)
        goals.append(Goal(code, parent, spec.name_pl, spec.name_en or spec.name_pl, spec.name_lt))
    goal_codes = {g.code for g in goals}
    for goal in goals:
        if goal.parent_code and goal.parent_code not in goal_codes:
            problems.append(say("ws_no_parent_goal", code=goal.code, parent=goal.parent_code))
    if problems or head is None:
        raise WorkspaceError(say("ws_problems", n=len(problems), file=path.name, items=problems))
    return Workspace(
        path=path.absolute(),
        name=head.name,
        language=head.language,
        levels=levels,
        indicators=indicators,
        sources=sources,
        goals=goals,
        synthetic=head.synthetic,
        description=head.description,
        basemap_url=head.basemap_url,
        basemap_attribution=head.basemap_attribution,
        crosswalks=crosswalks,
    )


def code_width(source: Source) -> int | None:
    """Width codes are zero-padded to: ``code_width`` if set, else the TERYT width of the level."""
    if "code_width" in source.options:
        return int(source.options["code_width"]) or None
    if source.opt("code_prefix"):
        return None
    return TERYT_WIDTH.get(source.opt("level"))
