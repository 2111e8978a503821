"""Every write the dashboard makes to the store, in one place: saving programme areas and comparison groups.

Pages call these; each write runs on a copy of the store swapped in when done (see :mod:`etl.store.writing`).
"""

from __future__ import annotations

from etl.store.areas import save_area
from etl.store.groups import save_group

__all__ = ["save_area", "save_group"]
