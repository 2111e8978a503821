"""Message catalogues: the words users read, in gettext ``.po`` files a translator edits without touching code.

A catalogue is a folder ``<root>/<lang>/LC_MESSAGES/<domain>.po`` per language. The ``msgid`` of each entry is a
stable key (``status.selected``, ``compare_title``), never shown; ``msgstr`` is the text, with ``{name}`` fields
filled in by the code. Entries with ``msgid_plural`` have one form per plural form of the language (Polish and
Lithuanian three, English two), chosen by the ``Plural-Forms`` rule of the file's header (Babel writes it).

The ``.po`` files are read as they are (Babel), compiled in memory, and cached: no build step, no ``.mo`` files.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from indicators.errors import IndicatorError

#: The interface languages, each named in its own language.
LANGUAGES = {"pl": "Polski", "en": "English", "lt": "Lietuvių"}
FALLBACK = "en"


@cache
def _catalog(root: str, domain: str, lang: str) -> Catalog:
    path = Path(root) / lang / "LC_MESSAGES" / f"{domain}.po"
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=domain)
    except (OSError, ValueError) as exc:
        raise IndicatorError(f"Cannot read the message catalogue {path}: {exc}") from exc


@cache
def _entries(root: str, domain: str, lang: str) -> dict[str, str | tuple[str, ...]]:
    out: dict[str, str | tuple[str, ...]] = {}
    for message in _catalog(root, domain, lang):
        if message.id:
            key = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
            text = message.string
            out[key] = tuple(str(s) for s in text) if isinstance(text, tuple | list) else str(text or "")
    return out


@cache
def _translations(root: str, domain: str, lang: str) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(root, domain, lang))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Messages:
    """One domain's texts in every language: ``text(key, lang, **fields)`` and ``plural(key, n, lang, **fields)``."""

    def __init__(self, root: Path, domain: str) -> None:
        self.root = str(root)
        self.domain = domain

    def _found(self, key: str, lang: str) -> str | None:
        """The first language, of ``lang`` then English, whose file has a non-empty text for ``key``."""
        for code in (lang if lang in LANGUAGES else FALLBACK, FALLBACK):
            if _entries(self.root, self.domain, code).get(key):
                return code
        return None

    def has(self, key: str) -> bool:
        return self._found(key, FALLBACK) is not None

    def text(self, key: str, lang: str, **fields: object) -> str:
        """The text of ``key`` in ``lang`` (English when the language lacks it), with ``fields`` filled in."""
        code = self._found(key, lang)
        if code is None:
            raise KeyError(f"No message {key!r} in the {self.domain} catalogue")
        found = _entries(self.root, self.domain, code)[key]
        if isinstance(found, tuple):
            found = found[0]
        return found.format(**fields) if fields else found

    def plural(self, key: str, n: float, lang: str, **fields: object) -> str:
        """The form of ``key`` for the count ``n`` (``{n}`` is filled in too, as the caller formatted it or as is)."""
        code = self._found(key, lang)
        if code is None:
            raise KeyError(f"No plural message {key!r} in the {self.domain} catalogue")
        count = int(abs(float(n))) if float(n).is_integer() else 2  # fractions take the "few"/"other" form
        found = _translations(self.root, self.domain, code).ngettext(key, key + ".plural", count)
        return found.format(**{"n": n, **fields})

    def keys(self, lang: str) -> dict[str, str | tuple[str, ...]]:
        """Every key of ``lang``'s file with its text (a tuple of forms for plural entries): for tests and tools."""
        return dict(_entries(self.root, self.domain, lang))

    def plural_count(self, lang: str) -> int:
        return _catalog(self.root, self.domain, lang).num_plurals
