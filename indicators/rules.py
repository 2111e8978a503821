"""Checking a set of units against a rule profile: an LSR area's population and coherence, a revitalisation
area's share of the gmina (Revitalisation Act 2015, art. 10(2)).

A profile is a TOML file naming its legal source and its rules; each rule bounds one measure of the selection
(``population``, ``area_km2``, ``units``, ``pieces``, ``population_share``, ``area_share``) with ``min`` and/or
``max``, both inclusive. The profiles shipped are in ``indicators/profiles``; a workspace can add its own in a
``profiles/`` folder beside the workspace file, and a path to a TOML file works anywhere a profile name does.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import shapely

from indicators.errors import RuleError
from indicators.formatting import format_number
from indicators.translation import LANGUAGES, MESSAGES, say

MEASURES = ("population", "area_km2", "units", "pieces", "population_share", "area_share")
DEFAULT_PROFILES = {"lsr": "rlks-2014-2020", "revitalisation": "rewitalizacja-2015"}
#: A Lithuanian workspace (``language = "lt"``) checks an LSR area against Lithuania's own rules first.
COUNTRY_DEFAULTS = {("lsr", "lt"): "lt-bivp-miestai-2014-2020"}


def default_profile(kind: str, language: str | None = None) -> str:
    """The profile offered first for ``kind``: the one of the workspace's country, else the Polish one."""
    return COUNTRY_DEFAULTS.get((kind, language or ""), DEFAULT_PROFILES[kind])


TOLERANCE = 1e-9  # exactly at a limit is within it, whatever the float rounding of a sum


@dataclass(frozen=True)
class Rule:
    id: str
    measure: str
    min: float | None
    max: float | None
    label_pl: str
    label_en: str
    label_lt: str = ""

    def label(self, lang: str) -> str:
        return {"pl": self.label_pl, "lt": self.label_lt}.get(lang) or self.label_en


@dataclass(frozen=True)
class Profile:
    id: str
    kind: str
    name_pl: str
    name_en: str
    legal_source: str
    rules: tuple[Rule, ...]
    path: Path
    name_lt: str = ""

    def name(self, lang: str) -> str:
        return {"pl": self.name_pl, "lt": self.name_lt}.get(lang) or self.name_en


def read_profile(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(say("err_profile_unreadable", path=str(path), error=str(exc))) from exc
    for key in ("id", "legal_source", "rules"):
        if not data.get(key):
            raise RuleError(say("err_profile_key", file=path.name, key=key))
    rules = []
    for n, raw in enumerate(data["rules"], start=1):
        measure = raw.get("measure")
        if measure not in MEASURES:
            raise RuleError(
                say("err_profile_measure", file=path.name, n=n, measures=", ".join(MEASURES), value=measure)
            )
        if raw.get("min") is None and raw.get("max") is None:
            raise RuleError(say("err_profile_bounds", file=path.name, n=n))
        rule_id = raw.get("id", f"{measure}_{n}")
        rules.append(
            Rule(
                rule_id,
                measure,
                raw.get("min"),
                raw.get("max"),
                raw.get("label_pl", rule_id),
                raw.get("label_en", raw.get("label_pl", rule_id)),
                raw.get("label_lt", ""),
            )
        )
    return Profile(
        data["id"],
        data.get("kind", "lsr"),
        data.get("name_pl", data["id"]),
        data.get("name_en", data.get("name_pl", data["id"])),
        data["legal_source"].strip(),
        tuple(rules),
        path,
        data.get("name_lt", ""),
    )


def profile_dirs(workspace_path: str | None = None) -> list[Path]:
    """Where profiles are looked for: the shipped ones, then the workspace's ``profiles/`` folder."""
    dirs = [Path(str(resources.files("indicators") / "profiles"))]
    if workspace_path:
        dirs.append(Path(workspace_path).parent / "profiles")
    return dirs


def available_profiles(workspace_path: str | None = None, kind: str | None = None) -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    for folder in profile_dirs(workspace_path):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            profile = read_profile(path)
            if kind is None or profile.kind == kind:
                found[profile.id] = profile
    return found


def load_profile(name: str | None, kind: str, workspace_path: str | None = None) -> Profile:
    """A profile by id (shipped or the workspace's) or by the path of its TOML file; default for ``kind``."""
    name = name or DEFAULT_PROFILES[kind]
    if name.endswith(".toml") or Path(name).is_file():
        return read_profile(Path(name))
    profiles = available_profiles(workspace_path)
    if name not in profiles:
        raise RuleError(say("err_no_profile", name=name, available=", ".join(sorted(profiles))))
    return profiles[name]


# --- measuring a selection ---------------------------------------------------------------------------------------


@dataclass
class Selection:
    """What the rules measure: the chosen units' totals for one year, and the whole they belong to."""

    codes: list[str]
    year: int | None
    population: float | None
    missing_population: list[str]
    area_km2: float
    pieces: list[list[str]]
    whole_code: str | None = None
    whole_name: str | None = None
    whole_population: float | None = None
    whole_area_km2: float | None = None
    names: dict[str, str] = field(default_factory=dict)

    def measure(self, name: str) -> float | None:
        if name == "population":
            return None if self.missing_population else self.population
        if name == "area_km2":
            return self.area_km2
        if name == "units":
            return float(len(self.codes))
        if name == "pieces":
            return float(len(self.pieces))
        if name == "area_share":
            return self.area_km2 / self.whole_area_km2 if self.whole_area_km2 else None
        if name == "population_share":
            if self.missing_population or self.population is None or not self.whole_population:
                return None
            return self.population / self.whole_population
        raise RuleError(f"Unknown measure {name}")


def connected_pieces(codes: list[str], geoms: np.ndarray, tolerance_deg: float = 1e-7) -> list[list[str]]:
    """Groups of units that touch each other (sharing a border or a corner), largest first."""
    parent = list(range(len(codes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(codes) > 1:
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="dwithin", distance=tolerance_deg)
        for a, b in zip(left, right, strict=True):
            parent[root(int(a))] = root(int(b))
    groups: dict[int, list[str]] = {}
    for i, code in enumerate(codes):
        groups.setdefault(root(i), []).append(code)
    return sorted(groups.values(), key=lambda g: (-len(g), g))


def latest_population_year(con: duckdb.DuckDBPyConnection, codes: list[str], population: str) -> int | None:
    """The latest year in which every unit has a population (else the latest year any has one)."""
    row = con.execute(
        "SELECT max(year) FILTER (WHERE n = ?), max(year) FROM (SELECT year, count(value) AS n FROM observations "
        "WHERE indicator_id = ? AND unit_code IN (SELECT unnest(?::VARCHAR[])) GROUP BY year)",
        [len(codes), population, codes],
    ).fetchone()
    if row is None:
        return None
    return row[0] if row[0] is not None else row[1]


def measure_selection(
    con: duckdb.DuckDBPyConnection, codes: list[str], year: int | None = None, *, population: str = "population"
) -> Selection:
    """Totals of the units ``codes`` for ``year`` (default: the latest with population for all of them)."""
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not codes:
        raise RuleError(say("err_choose_unit"))
    rows = con.execute(
        "SELECT code, name, level, parent_code, area_km2, geom FROM units WHERE code IN (SELECT unnest(?::VARCHAR[]))",
        [codes],
    ).fetchall()
    found = {r[0]: r for r in rows}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise RuleError(say("err_not_units", codes=", ".join(unknown)))
    levels = {found[c][2] for c in codes}
    if len(levels) > 1:
        raise RuleError(say("err_mixed_levels", levels=", ".join(sorted(levels))))
    if year is None:
        year = latest_population_year(con, codes, population)
    values = (
        dict(
            con.execute(
                "SELECT unit_code, value FROM observations WHERE indicator_id = ? AND year = ?"
                " AND unit_code IN (SELECT unnest(?::VARCHAR[])) AND value IS NOT NULL",
                [population, year, codes],
            ).fetchall()
        )
        if year is not None
        else {}
    )
    missing = [c for c in codes if c not in values]
    geoms = shapely.from_wkb([bytes(found[c][5]) for c in codes])
    selection = Selection(
        codes=codes,
        year=year,
        population=float(sum(values.values())) if values else None,
        missing_population=missing,
        area_km2=float(sum(found[c][4] or 0.0 for c in codes)),
        pieces=connected_pieces(codes, geoms),
        names={c: found[c][1] for c in codes},
    )
    parents = {found[c][3] for c in codes}
    if len(parents) == 1 and None not in parents:
        whole = parents.pop()
        selection.whole_code = whole
        head = con.execute("SELECT name, area_km2 FROM units WHERE code = ?", [whole]).fetchone()
        siblings = con.execute(
            "SELECT u.area_km2, o.value FROM units u LEFT JOIN observations o ON o.unit_code = u.code "
            "AND o.indicator_id = ? AND o.year = ? WHERE u.parent_code = ? AND u.level = ?",
            [population, year, whole, levels.pop()],
        ).fetchall()
        own = con.execute(
            "SELECT value FROM observations WHERE unit_code = ? AND indicator_id = ? AND year = ?",
            [whole, population, year],
        ).fetchone()
        selection.whole_name = head[0] if head else whole
        # the gmina's own figures when the store has them, else the sum of all its units of this level
        selection.whole_area_km2 = (head[1] if head and head[1] else sum(a or 0.0 for a, _v in siblings)) or None
        if own and own[0] is not None:
            selection.whole_population = float(own[0])
        elif siblings and all(v is not None for _a, v in siblings):
            selection.whole_population = float(sum(v for _a, v in siblings))
    return selection


# --- the verdict ---------------------------------------------------------------------------------------------


@dataclass
class RuleResult:
    rule: Rule
    value: float | None
    ok: bool
    margin: float | None  # how far inside (+) or outside (-) the nearest limit
    messages: dict[str, str]  # the verdict in each interface language

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages["en"]

    @property
    def message_pl(self) -> str:
        return self.messages["pl"]

    @property
    def message_en(self) -> str:
        return self.messages["en"]


@dataclass
class Verdict:
    profile: Profile
    selection: Selection
    results: list[RuleResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        s = self.selection
        return {
            "profile": self.profile.id,
            "legal_source": self.profile.legal_source,
            "year": s.year,
            "units": s.codes,
            "ok": self.ok,
            "totals": {
                "units": len(s.codes),
                "population": s.population,
                "area_km2": round(s.area_km2, 3),
                "pieces": len(s.pieces),
                "missing_population": s.missing_population,
                "whole": s.whole_code,
                "whole_population": s.whole_population,
                "whole_area_km2": s.whole_area_km2,
                "population_share": s.measure("population_share"),
                "area_share": s.measure("area_share"),
            },
            "rules": [
                {
                    "id": r.rule.id,
                    "measure": r.rule.measure,
                    "min": r.rule.min,
                    "max": r.rule.max,
                    "value": r.value,
                    "ok": r.ok,
                    "margin": r.margin,
                    "message": r.message_en,
                    "message_pl": r.message_pl,
                }
                for r in self.results
            ],
        }


def _fmt(measure: str, value: float, lang: str, *, difference: bool = False) -> str:
    if measure.endswith("_share"):  # a difference of shares is in percentage points
        written = format_number(value * 100, lang, 2)
        return f"{written}\u00a0{MESSAGES.text('percentage_points', lang)}" if difference else f"{written}%"
    if measure == "area_km2":
        return format_number(value, lang, 2) + "\u00a0km²"
    return format_number(value, lang, 0)


def _each(key: str, **fields: Any) -> dict[str, str]:
    """The message ``key`` in every language; a field given as a function of the language is called with it."""
    return {
        lang: MESSAGES.text(key, lang, **{k: v(lang) if callable(v) else v for k, v in fields.items()})
        for lang in LANGUAGES
    }


def evaluate(rule: Rule, selection: Selection) -> RuleResult:
    value = selection.measure(rule.measure)
    if value is None:
        why = (
            _each("why_missing_population", codes=", ".join(selection.missing_population), year=selection.year)
            if selection.missing_population
            else _each("why_no_whole")
        )
        return RuleResult(rule, None, False, None, _each("rule_unchecked", label=rule.label, why=why.__getitem__))
    margins = []
    if rule.min is not None:
        margins.append(value - rule.min)
    if rule.max is not None:
        margins.append(rule.max - value)
    margin = min(margins)
    scale = max(abs(rule.min or 0), abs(rule.max or 0), 1.0)
    ok = margin >= -TOLERANCE * scale

    def shown(lang: str) -> str:
        return _fmt(rule.measure, value, lang)

    if ok:

        def room(lang: str) -> str:
            return _fmt(rule.measure, max(margin, 0.0), lang, difference=True)

        return RuleResult(
            rule, value, True, max(margin, 0.0), _each("rule_met", label=rule.label, value=shown, gap=room)
        )
    below = rule.min is not None and value < rule.min
    limit = rule.min if below else rule.max
    if rule.measure == "pieces":
        parts = "; ".join(", ".join(selection.names.get(c, c) for c in p) for p in selection.pieces)
        return RuleResult(rule, value, False, margin, _each("rule_pieces", label=rule.label, value=shown, parts=parts))
    relative = rule.measure not in ("area_share", "population_share") and bool(limit)

    def gap(lang: str) -> str:
        return _fmt(rule.measure, abs(margin), lang, difference=True)

    def rel(lang: str) -> str:
        return f" ({format_number(abs(margin) / abs(limit) * 100, lang, 1)}%)" if relative and limit else ""

    key = "rule_short" if below else "rule_over"
    return RuleResult(rule, value, False, margin, _each(key, label=rule.label, value=shown, gap=gap, rel=rel))


def check(
    con: duckdb.DuckDBPyConnection,
    codes: list[str],
    profile: Profile,
    year: int | None = None,
    *,
    population: str = "population",
) -> Verdict:
    selection = measure_selection(con, codes, year, population=population)
    if any(r.measure.endswith("_share") for r in profile.rules) and selection.whole_code is None:
        raise RuleError(say("err_one_gmina"))
    return Verdict(profile, selection, [evaluate(rule, selection) for rule in profile.rules])
