"""The DuckDB store: connecting, migrations, atomic writes, run bookkeeping, and reading the live file.

Writers never touch the live file: :func:`writing` applies a run to a copy and swaps it in atomically. Readers
open the live file read-only through :class:`StoreReader`, which notices the swap and reconnects.
"""

from etl.store.connection import connect, load_spatial, scalar, spatial_extension_file
from etl.store.reader import StoreReader
from etl.store.schema import Migration, migrate, ordered_migrations, pending_migrations
from etl.store.writing import ensure_store, tidy, writing

__all__ = [
    "Migration",
    "StoreReader",
    "connect",
    "ensure_store",
    "load_spatial",
    "migrate",
    "ordered_migrations",
    "pending_migrations",
    "scalar",
    "spatial_extension_file",
    "tidy",
    "writing",
]
