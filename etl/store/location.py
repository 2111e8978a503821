"""Where a store lives: a DuckDB file (the default) or a DuckLake (a catalog database plus a data path).

Every command that takes ``--db`` takes either. A DuckLake is named by its ATTACH string, e.g.
``ducklake:postgres:dbname=atlas host=db.example port=5432`` (PostgreSQL credentials from ``PGUSER`` /
``PGPASSWORD`` or ``~/.pgpass``, as for any libpq client); its Parquet files go to ``--data-path`` (or
``LDATLAS_DATA_PATH``), which is needed only when the lake is created: the catalog remembers it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

LAKE_PREFIX = "ducklake:"


@dataclass(frozen=True)
class Store:
    """A store's address. ``target`` is an absolute file path or a ``ducklake:`` ATTACH string."""

    target: str
    data_path: str | None = None

    @property
    def is_lake(self) -> bool:
        return self.target.startswith(LAKE_PREFIX)

    @property
    def path(self) -> Path:
        """The store file (file stores only)."""
        if self.is_lake:
            raise TypeError("a DuckLake store has no single file")
        return Path(self.target)

    def __str__(self) -> str:
        """For messages and the screen: a lake's password is never shown."""
        return re.sub(r"(password=)\S+", r"\1***", self.target) if self.is_lake else self.target

    @property
    def name(self) -> str:
        """A short name for the Overview: the file's name, or the lake's catalog database."""
        if not self.is_lake:
            return self.path.name
        found = re.search(r"dbname=(\S+)", self.target)
        return f"DuckLake {found.group(1) if found else self.target.removeprefix(LAKE_PREFIX)}"


def locate(db: Store | Path | str, data_path: str | None = None) -> Store:
    """The :class:`Store` that ``db`` names: a ``ducklake:`` string is a lake, anything else a file path."""
    if isinstance(db, Store):
        return db
    text = str(db)
    if text.startswith(LAKE_PREFIX):
        return Store(text, data_path or os.environ.get("LDATLAS_DATA_PATH") or None)
    return Store(str(Path(text).absolute()))
