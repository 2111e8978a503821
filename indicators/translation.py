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
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Self

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import geodata
from geodata.errors import GeodataError
from indicators.errors import IndicatorError
from indicators.formatting import format_plain

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

    def text(self, key: str, lang: str, /, **fields: object) -> str:
        """The text of ``key`` in ``lang`` (English when the language lacks it), with ``fields`` filled in."""
        code = self._found(key, lang)
        if code is None:
            raise KeyError(f"No message {key!r} in the {self.domain} catalogue")
        found = _entries(self.root, self.domain, code)[key]
        if isinstance(found, tuple):
            found = found[0]
        return found.format(**fields) if fields else found

    def plural(self, key: str, n: float, lang: str, /, **fields: object) -> str:
        """The form of ``key`` for the count ``n`` (``{n}`` is filled in too, as the caller formatted it or as is)."""
        code = self._found(key, lang)
        if code is None:
            raise KeyError(f"No plural message {key!r} in the {self.domain} catalogue")
        count = int(abs(float(n))) if float(n).is_integer() else 2  # fractions take the "few"/"other" form
        found = _translations(self.root, self.domain, code).ngettext(key, key + ".plural", count)
        return found.format(**{"n": n, **fields})

    def render(
        self, key: str, args: dict[str, object], lang: str, *, names: Mapping[str, Callable[[str], str]] | None = None
    ) -> str:
        """``key`` in ``lang`` with ``args``: a phrase among them is said in the same language, a fraction as the
        language writes it (``0,05``), and ``names`` turns ids into words by the field's name (``{"level": …}``)."""
        shown: dict[str, object] = {}
        for name, value in args.items():
            if isinstance(value, BaseException):  # an error inside a message: its own phrase, if it has one
                value = as_raised(value)
            if isinstance(value, Phrase):
                shown[name] = value.say(lang, names=names)
            elif isinstance(value, list | tuple):  # several messages in one field: ``items`` as a bulleted list
                parts = [v.say(lang, names=names) if isinstance(v, Phrase) else str(v) for v in value]
                shown[name] = "".join(f"\n  - {part}" for part in parts) if name == "items" else "; ".join(parts)
            elif isinstance(value, float):
                shown[name] = f"{value:g}" if lang == FALLBACK else format_plain(value, lang)
            elif names and name in names:
                shown[name] = names[name](str(value))
            else:
                shown[name] = value
        if "n" in shown and self._is_plural(key):  # a count chooses the form: "1 problem", "4 problemy"
            count = shown.pop("n")
            return self.plural(key, count if isinstance(count, int | float) else float(str(count)), lang, **shown)
        return self.text(key, lang, **shown)

    def _is_plural(self, key: str) -> bool:
        return isinstance(_entries(self.root, self.domain, FALLBACK).get(key), tuple)

    def phrase(self, key: str, /, **args: object) -> Phrase:
        """The message ``key`` with its values, as English text that can be said in any language later."""
        return Phrase(self, key, **args)

    def keys(self, lang: str) -> dict[str, str | tuple[str, ...]]:
        """Every key of ``lang``'s file with its text (a tuple of forms for plural entries): for tests and tools."""
        return dict(_entries(self.root, self.domain, lang))

    def plural_count(self, lang: str) -> int:
        return _catalog(self.root, self.domain, lang).num_plurals


class Phrase(str):
    """A message's English text that remembers its catalogue, key and values, so that whoever shows it says it in
    the reader's language: errors are raised with one (``raise RuleError(MESSAGES.phrase("err_no_unit"))``), logs,
    tests and ``str()`` see the English, the pages and the CLI call :func:`said`."""

    messages: Messages
    key: str
    args: dict[str, object]

    def __new__(cls, messages: Messages, key: str, /, **args: object) -> Self:
        made = super().__new__(cls, messages.render(key, args, FALLBACK))
        made.messages, made.key, made.args = messages, key, args
        return made

    def say(self, lang: str, *, names: Mapping[str, Callable[[str], str]] | None = None) -> str:
        return self.messages.render(self.key, self.args, lang, names=names)


def said(message: object, lang: str, *, names: Mapping[str, Callable[[str], str]] | None = None) -> str:
    """An error's or a message's text in ``lang``: a :class:`Phrase` (also one an error was raised with) in that
    language, levels and indicators by their ``names``; anything else as it is."""
    if isinstance(message, BaseException):
        message = as_raised(message)
    return message.say(lang, names=names) if isinstance(message, Phrase) else str(message)


#: The analysis layer's own texts (rule verdicts, errors): ``indicators/locale/<lang>/LC_MESSAGES/indicators.po``.
MESSAGES = Messages(Path(__file__).resolve().parent / "locale", "indicators")

#: ``say("err_choose_unit")``: an error's message from the analysis catalogue, said later in the reader's language.
say = MESSAGES.phrase


#: The texts of geodata's errors (``geodata/locale``): geodata sits below this module, so its errors carry a key and
#: fields (:class:`geodata.errors.GeodataError`) that are said here.
GEODATA = Messages(Path(geodata.__file__).resolve().parent / "locale", "geodata")


def as_raised(error: BaseException) -> object:
    """An error's message as it was raised, to put inside another message: a phrase stays one (said later in the
    reader's language), a geodata error becomes one, anything else is its text."""
    if len(error.args) == 1 and isinstance(error.args[0], Phrase):
        return error.args[0]
    if isinstance(error, GeodataError) and error.key and GEODATA.has(error.key):
        return GEODATA.phrase(error.key, **error.fields)
    return str(error)
