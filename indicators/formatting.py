"""Numbers, dates and plurals as each interface language writes them (Babel/CLDR), in one place.

Polish and Lithuanian: decimal comma and a non-breaking space between thousands (``1 234,5``); English: ``1,234.5``.
Pages, exports, rule verdicts and the CLI all format through here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal

#: Interface language → the CLDR locale its numbers and dates follow.
LOCALES = {"pl": "pl_PL", "en": "en_GB", "lt": "lt_LT"}
MISSING = "–"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, LOCALES["pl"]))


def format_number(value: float | None, lang: str, decimals: int = 1) -> str:
    """``value`` with ``decimals`` places, grouped as ``lang`` writes it; ``–`` for no value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_plain(value: float, lang: str) -> str:
    """A number with as many places as it has (``0,05``, ``0.001``): for settings such as a significance level."""
    return format_decimal(value, locale=_locale(lang))


def format_money(value: float | None, lang: str, currency: str = "PLN") -> str:
    """An amount in whole units of ``currency`` as ``lang`` writes it: ``3 760 000 zł``, ``PLN 3,760,000``."""
    if value is None or not math.isfinite(value):
        return MISSING
    locale = _locale(lang)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    written = format_currency(round(value), currency, format=pattern, locale=locale, currency_digits=False)
    return re.sub(r"^([A-Z]{3})(?=[-\d])", "\\1\u00a0", written)  # CLDR's spacing after a currency code


def format_percent(value: float | None, lang: str, decimals: int = 1) -> str:
    """A value already in per cent, as ``lang`` writes it: ``35,7%``, ``35.7%``."""
    if value is None or not math.isfinite(value):
        return MISSING
    return format_number(value, lang, decimals) + "%"


def format_count(value: int | float | None, lang: str) -> str:
    """A whole number, grouped (``12 345``)."""
    return format_number(value, lang, 0)


def format_date(value: dt.date | dt.datetime, lang: str) -> str:
    """A date in the language's medium form (``30 lis 2026``, ``30 Nov 2026``)."""
    return _format_date(value, format="medium", locale=_locale(lang))


def format_moment(value: dt.datetime, lang: str) -> str:
    """A moment in the language's medium form, in UTC (``30 lis 2026, 10:28:03``)."""
    return _format_datetime(value, format="medium", tzinfo=dt.UTC, locale=_locale(lang))


def plural_category(count: float, lang: str) -> str:
    """CLDR plural category of ``count``: ``one``, ``few``, ``many`` or ``other`` (Polish and Lithuanian have three
    forms for whole numbers)."""
    return _locale(lang).plural_form(abs(count))


def plural(count: float, lang: str, forms: dict[str, str]) -> str:
    """The form of a noun for ``count``: ``forms`` maps CLDR categories to words, ``other`` is the fallback.

    >>> plural(5, "pl", {"one": "jednostka", "few": "jednostki", "many": "jednostek"})
    'jednostek'
    """
    category = plural_category(count, lang)
    return forms.get(category) or forms.get("other") or forms.get("many") or next(iter(forms.values()))


def counted(count: int, lang: str, forms: dict[str, str]) -> str:
    """``count`` and the noun in its right form: ``4 jednostki``, ``5 jednostek``, ``1 unit``."""
    return f"{format_count(count, lang)}\u00a0{plural(count, lang, forms)}"
