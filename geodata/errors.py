"""The one error geodata raises for bad input: a geometry file that cannot be read or placed on the map."""

from __future__ import annotations


class GeodataError(ValueError):
    """A boundary file cannot be read, or its coordinates cannot be placed (no CRS, metres given as degrees).

    The message is English (logs, tests); ``key`` and ``fields`` name the same message in
    ``geodata/locale/<lang>/LC_MESSAGES/geodata.po``, so that the CLI and the pages say it in the reader's language
    (``indicators.translation.said``)."""

    def __init__(self, message: str, key: str | None = None, **fields: object) -> None:
        super().__init__(message)
        self.key, self.fields = key, fields
