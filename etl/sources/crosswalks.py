"""Crosswalks: names (or foreign codes) to the store's codes, for files that come without the codes the Atlas uses.

A crosswalk is a workspace's ``[[crosswalks]]`` entry (a two-column file or an inline table) or one the Atlas ships:
``lt-municipalities`` (Lithuania's 60 municipalities by their Lithuanian names and the English names Statistics
Lithuania uses, to ISO 3166-2 codes ``LT-01``…``LT-60``) and ``warszawa-dzielnice``, ``krakow-delegatury``,
``lodz-delegatury`` (the districts of the Polish cities whose districts have TERYT codes). Names are matched after
one documented normalisation (:func:`name_key`): case, surrounding and repeated whitespace, the long and short forms
of municipality suffixes (``miesto savivaldybė`` = ``m. sav.``, ``city municipality`` = ``c. mun.``), and — unless
switched off — diacritics.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import SourceError
from etl.reasons import reason
from etl.sources.tables import read_table
from etl.texts import say
from etl.workspace import CrosswalkSpec

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "crosswalks"
#: Crosswalks the Atlas ships: id -> file (code;name;language), one per file in etl/crosswalks/.
BUILTIN = {path.stem: path for path in sorted(BUILTIN_DIR.glob("*.csv"))}

#: Long forms of suffixes, written as their short forms before names are compared (order matters: longest first).
SUFFIXES = [
    ("miesto savivaldybė", "m. sav."),
    ("rajono savivaldybė", "r. sav."),
    ("savivaldybė", "sav."),
    ("city municipality", "c. mun."),
    ("district municipality", "d. mun."),
    ("municipality", "mun."),
]
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "ø": "o"})


def name_key(text: object, *, fold: bool = True) -> str:
    """How names are compared: ``" Vilniaus  miesto savivaldybė"`` and ``"vilniaus m. sav."`` are the same key."""
    key = _SPACE.sub(" ", str(text or "")).strip().lower()
    for long, short in SUFFIXES:
        if key.endswith(long):
            key = key[: -len(long)] + short
            break
    key = re.sub(r"\s*\.\s*", ". ", key).strip()
    if fold:
        key = unicodedata.normalize("NFKD", key.translate(_FOLD))
        key = "".join(c for c in key if not unicodedata.combining(c))
    return key


@dataclass
class Crosswalk:
    """Names to codes; a key two different codes share is ambiguous and matches nothing."""

    id: str
    fold: bool = True
    codes: dict[str, str] = field(default_factory=dict)  # key -> code
    names: dict[str, str] = field(default_factory=dict)  # key -> a name as written in the crosswalk
    ambiguous: set[str] = field(default_factory=set)

    def add(self, name: object, code: object) -> None:
        key, code_text = name_key(name, fold=self.fold), str(code).strip()
        if not key or not code_text:
            return
        if key in self.codes and self.codes[key] != code_text:
            self.ambiguous.add(key)
        self.codes.setdefault(key, code_text)
        self.names.setdefault(key, str(name).strip())

    def lookup(self, name: object) -> str | None:
        key = name_key(name, fold=self.fold)
        return None if key in self.ambiguous else self.codes.get(key)

    def why_not(self, name: object) -> str:
        """The reject reason for a name the crosswalk does not have, with the closest names it does."""
        key = name_key(name, fold=self.fold)
        if key in self.ambiguous:
            return reason("crosswalk_ambiguous", name=str(name), crosswalk=self.id)
        close = difflib.get_close_matches(key, list(self.names), n=3, cutoff=0.6)
        if close:
            near = ", ".join(f"{self.names[k]} ({self.codes[k]})" for k in close)
            return reason("crosswalk_missing_closest", name=str(name), crosswalk=self.id, names=near)
        return reason("crosswalk_missing", name=str(name), crosswalk=self.id)


def builtin(crosswalk_id: str) -> Crosswalk:
    path = BUILTIN[crosswalk_id]
    walk = Crosswalk(crosswalk_id)
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            walk.add(row["name"], row["code"])
    return walk


def from_spec(spec: CrosswalkSpec, path: Path | None) -> Crosswalk:
    """A workspace's crosswalk: its inline ``map`` and/or the two columns of its file."""
    walk = Crosswalk(spec.id, fold=spec.fold_diacritics)
    for name, code in spec.map.items():
        walk.add(name, code)
    if path is not None:
        table, _sep = read_table(path, sheet=spec.sheet, encoding=spec.encoding, separator=spec.separator)
        names = table.column(spec.from_column or "", what=say("what_walk_names", id=spec.id))
        codes = table.column(spec.to_column or "", what=say("what_walk_codes", id=spec.id))
        for name, code in zip(table.frame[names], table.frame[codes], strict=True):
            walk.add(name, code)
    if not walk.codes:
        raise SourceError(say("src_walk_empty", id=spec.id))
    return walk


class Crosswalks:
    """The crosswalks a run can use, each read once when a source first asks for it."""

    def __init__(self, specs: list[tuple[CrosswalkSpec, Path | None]]) -> None:
        self._specs = {spec.id: (spec, path) for spec, path in specs}
        self._read: dict[str, Crosswalk] = {}

    def get(self, crosswalk_id: str | None) -> Crosswalk | None:
        if not crosswalk_id:
            return None
        if crosswalk_id not in self._read:
            if crosswalk_id in self._specs:
                self._read[crosswalk_id] = from_spec(*self._specs[crosswalk_id])
            elif crosswalk_id in BUILTIN:
                self._read[crosswalk_id] = builtin(crosswalk_id)
            else:
                raise SourceError(say("src_no_walk", id=crosswalk_id))
        return self._read[crosswalk_id]
