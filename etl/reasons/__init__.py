"""Why a row was refused, in Polish, English and Lithuanian.

A loader refuses a row with ``reason("unknown_unit", code="0299999", closest=...)``: a :class:`Reason` is the English
text (what the CLI, the rejects export and the logs show, as before) that also keeps its key and values, so the
rejects table stores both and the dashboard says it in the reader's language. The words are in message catalogues
(``etl/reasons/locale/<lang>/LC_MESSAGES/reasons.po``) a translator edits without code; the English file is the
only place the English text is written. Values are data (codes, names, the file's own text) and stay as they are;
numbers follow the language (``1 234,5``), and a level's id becomes its name when the reader's names are given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Self

from indicators.translation import Messages, Phrase

MESSAGES = Messages(Path(__file__).resolve().parent / "locale", "reasons")


class Reason(Phrase):
    """A reason's English text, carrying its catalogue key and values."""

    def __new__(cls, key: str, /, **args: object) -> Self:
        return super().__new__(cls, MESSAGES, key, **args)

    def say(self, lang: str, *, names: Mapping[str, Callable[[str], str]] | None = None) -> str:
        return render(self.key, self.args, lang, names=names)

    def as_json(self) -> str:
        """The values, for the rejects table beside the key (a reason inside a reason is kept with its own key)."""
        return json.dumps({name: _plain(value) for name, value in self.args.items()}, ensure_ascii=False)


def reason(key: str, /, **args: object) -> Reason:
    """The reason ``key`` of the catalogue with its values filled in (English text; other languages at reading)."""
    return Reason(key, **args)


def _plain(value: object) -> object:
    if isinstance(value, Phrase):
        return {"reason": value.key, "args": {k: _plain(v) for k, v in value.args.items()}}
    return value


def render(
    key: str, args: dict[str, object], lang: str, *, names: Mapping[str, Callable[[str], str]] | None = None
) -> str:
    """The reason ``key`` in ``lang`` with ``args`` (nested reasons said in the same language, also as stored:
    ``{"reason": key, "args": …}``). ``names`` turns ids into the reader's words by the value's field:
    ``{"level": …, "indicator": …}`` (an id it does not know stays)."""
    shown = {
        name: render(str(value["reason"]), dict(value.get("args") or {}), lang, names=names)
        if isinstance(value, dict) and "reason" in value
        else value
        for name, value in args.items()
    }
    return MESSAGES.render(key, shown, lang, names=names)


def stored(
    text: str,
    key: str | None,
    args_json: str | None,
    lang: str,
    *,
    names: Mapping[str, Callable[[str], str]] | None = None,
) -> str:
    """A stored reject's reason in ``lang``: from its key and values when it has them, else its text as stored
    (rejects written before reasons had keys, or by code that gives none)."""
    if not key or not MESSAGES.has(key):
        return text
    try:
        args = json.loads(args_json) if args_json else {}
        return render(key, args, lang, names=names)
    except (ValueError, KeyError, IndexError, TypeError):
        return text
