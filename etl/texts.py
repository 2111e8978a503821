"""What the ETL and the command line say to people, in Polish, English and Lithuanian.

The words are in ``etl/locale/<lang>/LC_MESSAGES/etl.po`` (a translator edits them without code). Errors are raised
with a phrase, ``raise SourceError(say("err_no_group", group=group_id))``: its English text is what ``str()`` and the
logs see, and the CLI and the dashboard say it in the reader's language (``indicators.translation.said``). The CLI
speaks the language of ``LDATLAS_LANG``, else of the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
English.
"""

from __future__ import annotations

import os
from pathlib import Path

from indicators.translation import LANGUAGES, Messages

MESSAGES = Messages(Path(__file__).resolve().parent / "locale", "etl")

#: ``say("err_no_group", group="x")``: a message of the ETL's catalogue, said later in the reader's language.
say = MESSAGES.phrase


def kind_word(kind: str) -> object:
    """A source kind (``table``, ``boundaries``) in the reader's words, or as it is when the catalogue lacks it."""
    return say(f"cli_kind_{kind}") if MESSAGES.has(f"cli_kind_{kind}") else kind


def cli_language() -> str:
    """``pl``, ``en`` or ``lt``: ``LDATLAS_LANG``, else the system locale's language, else English."""
    wanted = os.environ.get("LDATLAS_LANG", "").strip().lower()
    if wanted in LANGUAGES:
        return wanted
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:  # the first one set decides, as in gettext
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def text(key: str, lang: str, /, **fields: object) -> str:
    """The CLI's text ``key`` in ``lang``."""
    return MESSAGES.text(key, lang, **fields)


def plural(key: str, n: float, lang: str, /, **fields: object) -> str:
    """The CLI's text ``key`` for the count ``n`` in ``lang``."""
    return MESSAGES.plural(key, n, lang, **fields)
