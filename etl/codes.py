"""Unit codes: TERYT normalisation (lost leading zeros, spaces, Excel floats) and matching to the store."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: TERYT width of each administrative level.
TERYT_WIDTH = {"voivodeship": 2, "powiat": 4, "gmina": 7}
#: TERYT type digits of whole gminy (1 urban, 2 rural, 3 urban-rural); 4/5 are town/rural parts.
GMINA_TYPES = {"1", "2", "3"}
MATCH_MODES = ("exact", "teryt6")

_FLOAT_TAIL = re.compile(r"\.0+$")


def normalise_code(raw: object, *, width: int | None = None) -> str:
    """Clean a code as typed in a spreadsheet: strip spaces, drop an Excel ``.0``, pad lost leading zeros.

    >>> normalise_code("201011", width=7)
    '0201011'
    >>> normalise_code("02 01 01 1")
    '0201011'
    >>> normalise_code(201011.0, width=7)
    '0201011'
    """
    if raw is None:
        return ""
    text = str(raw).strip()
    if text.lower() in ("", "nan", "none", "<na>"):
        return ""
    text = _FLOAT_TAIL.sub("", text.replace("\u00a0", "").replace(" ", ""))
    if width and text.isdigit() and len(text) < width:
        text = text.zfill(width)
    return text


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
        """The nearest codes in the store, for a reject message: ``0201092 (Gromadka), ...``."""
        if not code:
            return ""

        def shared_prefix(other: str) -> int:
            return next(
                (i for i, (a, b) in enumerate(zip(code, other, strict=False)) if a != b), min(len(code), len(other))
            )

        ranked = sorted(
            self.codes, key=lambda c: (-shared_prefix(c), -difflib.SequenceMatcher(None, code, c).ratio(), c)
        )
        near = [c for c in ranked[:n] if shared_prefix(c) >= 2 or difflib.SequenceMatcher(None, code, c).ratio() >= 0.6]
        if not near:
            return "no similar code in the store"
        return "closest: " + ", ".join(f"{c} ({self.codes[c]})" for c in near)


def resolve_code(raw: object, known: set[str] | dict) -> str:
    """A code as the store knows it: cleaned, and with one lost leading zero restored when that matches."""
    code = normalise_code(raw)
    if code not in known and code.isdigit() and code.zfill(len(code) + 1) in known:
        return code.zfill(len(code) + 1)
    return code
