"""Unit codes: TERYT normalisation (lost leading zeros, spaces, Excel floats) and matching to the store."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from etl.reasons import reason

#: TERYT width of each administrative level.
TERYT_WIDTH = {"voivodeship": 2, "powiat": 4, "gmina": 7}
#: TERYT type digits of whole gminy (1 urban, 2 rural, 3 urban-rural); 4/5 are town/rural parts.
GMINA_TYPES = {"1", "2", "3"}
MATCH_MODES = ("exact", "teryt6")

_FLOAT_TAIL = re.compile(r"\.0+$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")
_PUNCTUATION = re.compile(r"[\-/.]")


def bdl_unit_to_teryt(unit_id: str) -> str | None:
    """TERYT code of a BDL unit id: characters 3–4 and 8–12 for a gmina (``011212001011`` → ``1201011``).

    Voivodeships (level 2) give 2 digits and powiaty (level 5) give 4; Poland, macroregions, regions and
    subregions give None.
    """
    if len(unit_id) != 12 or not unit_id.isdigit() or unit_id[2:4] == "00":
        return None
    voivodeship, powiat, gmina = unit_id[2:4], unit_id[7:9], unit_id[9:12]
    if gmina != "000":
        return voivodeship + powiat + gmina
    if powiat != "00":
        return voivodeship + powiat
    if unit_id[4:12] == "00000000":
        return voivodeship
    return None  # a subregion: no TERYT code


def normalise_code(raw: object, *, width: int | None = None, level: str | None = None) -> str:
    """Clean a code as typed in a spreadsheet; every form a Polish analyst meets becomes the store's code.

    - surrounding spaces and an Excel ``.0`` go; a code of digits written with spaces (``02 01 01 1``) becomes the
      digits, and at a TERYT ``level`` also one written with dashes, dots or slashes (``02-01-011``); any other code
      keeps its inside as written (``Stare Miasto`` stays ``Stare Miasto``, ``0463011-01`` stays);
    - lost leading zeros are restored up to ``width`` (``201011`` → ``0201011``);
    - at a TERYT ``level``: a 12-digit GUS BDL unit id becomes its TERYT (``011212001011`` → ``1201011``), and
      BDL's 7-digit forms of powiaty and voivodeships (TERYT padded with zeros, ``0261000`` or with the lost zero
      ``261000``) become ``0261`` / ``02``.

    >>> normalise_code("201011", width=7)
    '0201011'
    >>> normalise_code("02 01 01 1")
    '0201011'
    >>> normalise_code("261000", level="powiat")
    '0261'
    """
    if raw is None:
        return ""
    text = str(raw).strip()
    if text.lower() in ("", "nan", "none", "<na>"):
        return ""
    text = _FLOAT_TAIL.sub("", text)
    teryt_width = TERYT_WIDTH.get(level or "")
    digits = _SPACES.sub("", text)
    if teryt_width:
        digits = _PUNCTUATION.sub("", digits)
    if digits.isdigit():
        text = digits
    else:
        return text
    if teryt_width:
        if len(text) == 12:
            return bdl_unit_to_teryt(text) or text
        if teryt_width < 7 and len(text) in (6, 7):
            padded = text.zfill(7)
            if padded[teryt_width:] == "0" * (7 - teryt_width):
                return padded[:teryt_width]
        width = width or teryt_width
    if width and len(text) < width:
        text = text.zfill(width)
    return text


#: A code :func:`normalise_code` may leave as it is: letters, ASCII digits, ``_``, ``-``, ``.``, ``/`` — no space of any
#: kind (a value with anything else goes through :func:`normalise_code` itself).
_PLAIN = r"^[\p{L}0-9_./-]+$"


def normalise_codes(raw: Sequence[object], *, width: int | None = None, level: str | None = None) -> list[str]:
    """:func:`normalise_code` of each value. The values it would leave as they are — most of a clean file: text
    without spaces, float tails or null words, digits already as wide as the level's codes — are found in one pass
    (Arrow); only the others go through :func:`normalise_code`, one by one."""
    try:
        text = pa.array(raw, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or other objects: one by one
        return [normalise_code(v, width=width, level=level) for v in raw]
    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN), False)
    plain = pc.and_(plain, pc.invert(pc.match_substring_regex(text, r"\.0+$")))
    plain = pc.and_(plain, pc.invert(pc.is_in(pc.utf8_lower(text), pa.array(["nan", "none"]))))
    digits = pc.match_substring_regex(text, r"^[0-9]+$")
    length = pc.utf8_length(text)
    teryt_width = TERYT_WIDTH.get(level or "")
    if teryt_width:
        plain = pc.and_(plain, pc.invert(pc.match_substring_regex(text, r"[./-]")))  # 02-01-011 becomes digits
        changed = pc.equal(length, 12)  # a BDL unit id
        if teryt_width < 7:  # BDL's 7-digit forms of powiaty and voivodeships
            changed = pc.or_(changed, pc.is_in(length, pa.array([6, 7], pa.int32())))
        plain = pc.and_(plain, pc.invert(pc.and_(digits, changed)))
    if width or teryt_width:
        plain = pc.and_(plain, pc.invert(pc.and_(digits, pc.less(length, width or teryt_width))))
    out = text.to_pylist()
    for i in pc.indices_nonzero(pc.invert(plain)).to_pylist():
        out[i] = normalise_code(raw[i], width=width, level=level)
    return out


@dataclass
class CodeMatcher:
    """Matches source codes to the codes of units in the store.

    ``exact`` matches the code as it is. ``teryt6`` also matches a 7-digit gmina code on its first 6 digits,
    for tables whose gminy changed their type digit (rural → urban-rural) since the boundaries were drawn.
    Town and rural parts (type 4/5) are never matched to a whole gmina.
    """

    codes: dict[str, str]  # code -> name
    mode: str = "exact"

    def __post_init__(self) -> None:
        self._by6: dict[str, list[str]] = {}
        if self.mode == "teryt6":
            for code in self.codes:
                if len(code) == 7 and code.isdigit() and code[6] in GMINA_TYPES:
                    self._by6.setdefault(code[:6], []).append(code)

    def match(self, code: str) -> str | None:
        if code in self.codes:
            return code
        if self.mode == "teryt6" and len(code) == 7 and code.isdigit() and code[6] in GMINA_TYPES:
            found = self._by6.get(code[:6], [])
            if len(found) == 1:
                return found[0]
        return None

    def closest(self, code: str, n: int = 3) -> str:
        """The nearest codes in the store, for a reject message: ``0201092 (Gromadka), ...`` (computed once per
        code: a file with thousands of rejects repeats the same few unknown codes)."""
        if not code:
            return ""
        cache = self.__dict__.setdefault("_closest_cache", {})
        if code not in cache:
            cache[code] = self._closest(code, n)
        return cache[code]

    def _closest(self, code: str, n: int) -> str:
        """Codes sharing the longest prefix (TERYT is hierarchical) are neighbours in sorted order, so only a few
        around the code's place are compared; codes that are not numbers are also compared as text."""
        if "_sorted" not in self.__dict__:
            self.__dict__["_sorted"] = sorted(self.codes)
        ordered: list[str] = self.__dict__["_sorted"]
        at = bisect.bisect_left(ordered, code)
        if code.isdigit():  # numbers: the longest shared prefix, then the nearest number
            number, scored = int(code), []
            for other in ordered[max(0, at - n) : at + n]:
                end, shared = min(len(code), len(other)), 0
                while shared < end and code[shared] == other[shared]:
                    shared += 1
                scored.append((-shared, abs(int(other) - number) if other.isdigit() else 0, other))
            scored.sort()
            near = [other for shared, _d, other in scored[:n] if -shared >= 2]
        else:
            candidates = set(ordered[max(0, at - n - 1) : at + n + 1])
            candidates |= set(difflib.get_close_matches(code, ordered, n=n, cutoff=0.6))

            def shared_prefix(other: str) -> int:
                end, i = min(len(code), len(other)), 0
                while i < end and code[i] == other[i]:
                    i += 1
                return i

            def ratio(other: str) -> float:
                return difflib.SequenceMatcher(None, code, other).ratio()

            ranked = sorted(candidates, key=lambda c: (-shared_prefix(c), -ratio(c), c))
            near = [c for c in ranked[:n] if shared_prefix(c) >= 2 or ratio(c) >= 0.6]
        if not near:
            return reason("no_similar_code")
        return reason("closest", units=", ".join(f"{c} ({self.codes[c]})" for c in near))


def resolve_code(raw: object, known: set[str] | dict) -> str:
    """A code as the store knows it: cleaned, and with one lost leading zero restored when that matches."""
    code = normalise_code(raw)
    if code not in known and code.isdigit() and code.zfill(len(code) + 1) in known:
        return code.zfill(len(code) + 1)
    return code
