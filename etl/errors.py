"""Domain errors. Each message says what went wrong and what to do about it."""

from __future__ import annotations

from geodata.errors import GeodataError
from indicators.errors import IndicatorError


class AtlasError(ValueError):
    """Base class for errors a user can act on; the CLI prints the message without a traceback."""


class WorkspaceError(AtlasError):
    """The workspace file is missing, malformed or names something that does not exist."""


class SourceError(AtlasError):
    """A source file cannot be read or lacks what the workspace says it has."""


class StoreError(AtlasError):
    """The store cannot be opened, migrated or is busy."""


#: Every error a user can act on, from any layer: shown as its message, never as a traceback.
USER_ERRORS: tuple[type[ValueError], ...] = (AtlasError, GeodataError, IndicatorError)
