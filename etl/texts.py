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


def word(kind: str, value: str) -> object:
    """A value of an enumeration in the reader's words (``word("cli_kind", "table")``: the phrase ``cli_kind_table``),
    or the value as it came when the catalogue has no words for it."""
    key = f"{kind}_{value}"
    return say(key) if MESSAGES.has(key) else value


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


#: The CLI's text ``key`` in ``lang`` (``text(key, lang, **fields)``), and its plural form for a count.
text = MESSAGES.text
plural = MESSAGES.plural
