"""The store: a DuckDB file or a DuckLake; connecting, migrations, atomic writes, run bookkeeping, reading.

Writers never touch the live file: :func:`writing` applies a run to a copy and swaps it in atomically. Readers
open the live file read-only through :class:`StoreReader`, which notices the swap and reconnects.
"""

from etl.store.connection import connect, load_spatial, scalar, spatial_extension_file
from etl.store.location import Store, locate
from etl.store.reader import StoreReader
from etl.store.schema import Migration, migrate, ordered_migrations, pending_migrations
from etl.store.writing import ensure_store, exists, tidy, writing

__all__ = [
    "Migration",
    "Store",
    "StoreReader",
    "connect",
    "ensure_store",
    "exists",
    "load_spatial",
    "locate",
    "migrate",
    "ordered_migrations",
    "pending_migrations",
    "scalar",
    "spatial_extension_file",
    "tidy",
    "writing",
]
