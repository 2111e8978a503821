"""Interface texts in Polish, English and Lithuanian, from the message catalogues in ``dashboard/locale``.

Each language is one gettext file, ``dashboard/locale/<lang>/LC_MESSAGES/dashboard.po``: ``msgid`` is the key the
code uses, ``msgstr`` the text (README: "Translations"). Numbers, dates and plurals follow Babel/CLDR
(``indicators.formatting``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indicators.formatting import format_number  # (pages import it from here too)
from indicators.translation import LANGUAGES, Messages

__all__ = ["LANGUAGES", "MESSAGES", "format_number", "label", "labeller", "t", "tn"]

MESSAGES = Messages(Path(__file__).resolve().parent / "locale", "dashboard")


def t(key: str, lang: str, **fields: object) -> str:
    """The text for ``key`` in ``lang`` (English where a translation is missing), ``fields`` filled in."""
    return MESSAGES.text(key, lang, **fields)


def tn(key: str, n: float, lang: str, **fields: object) -> str:
    """The plural form of ``key`` for ``n`` in ``lang``; ``{n}`` as the language writes a whole number (2 477)."""
    shown = format_number(n, lang, 0) if float(n).is_integer() else n
    return MESSAGES.plural(key, n, lang, **{"n": shown, **fields})


def labeller(kind: str, lang: str) -> Callable[[object], str]:
    """``label`` for one kind and language, as a widget's ``format_func``."""
    return lambda value: label(kind, value, lang)


def label(kind: str, value: object, lang: str) -> str:
    """The words for an enumeration's value (``label("status", "selected", "pl")`` → ``wybrany do realizacji``);
    a value the catalogue does not know (a workspace's own) is shown as it came, ``—`` for none."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "—"
    key = f"{kind}_{value}"
    return MESSAGES.text(key, lang) if MESSAGES.has(key) else str(value)


def decimals_for(values: list[float]) -> int:
    """Decimal places that tell class bounds apart without noise."""
    span = max((abs(v) for v in values if v == v), default=0.0)
    return 0 if span >= 1000 else 1 if span >= 10 else 2
