"""The workspace file (TOML): what a city's Atlas holds and where each piece comes from.

Declared once as typed models in :mod:`etl.workspace.models`; :func:`read_workspace` reads and checks a file.
"""

from etl.workspace.models import CrosswalkSpec, RowFilter
from etl.workspace.reader import (
    LOADER_VERSION,
    Goal,
    Level,
    Source,
    Workspace,
    code_width,
    read_workspace,
)
from etl.workspace.vocabulary import AREA_KINDS, KNOWN_LEVELS, LAYOUTS, LOCATIONS, PARENT_RULES, STATUSES

__all__ = [
    "AREA_KINDS",
    "CrosswalkSpec",
    "RowFilter",
    "KNOWN_LEVELS",
    "LAYOUTS",
    "LOADER_VERSION",
    "LOCATIONS",
    "PARENT_RULES",
    "STATUSES",
    "Goal",
    "Level",
    "Source",
    "Workspace",
    "code_width",
    "read_workspace",
]
