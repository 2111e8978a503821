"""Typed settings, read at call time so tests can override them (``monkeypatch.setattr``)."""

from __future__ import annotations

import os
from pathlib import Path

#: The store used when no ``--db`` is given.
default_db: Path = Path(os.environ.get("LDATLAS_DB", "atlas.duckdb"))

#: Seconds a loader waits for another loader to finish before giving up.
lock_timeout_s: float = 600.0

#: Test hook: seconds to hold just before the new store is swapped in (see tests/test_safety.py).
hold_before_swap_s: float = float(os.environ.get("LDATLAS_HOLD_BEFORE_SWAP", "0") or 0)

#: First wait before an HTTP request is tried again (doubles each try); tests set it to milliseconds.
retry_backoff_s: float = 1.0

#: The longest wait between two tries, also when a server's ``Retry-After`` asks for more.
retry_max_wait_s: float = 60.0

#: A store whose file is more than this share free blocks after a run is rewritten into a fresh file (so that
#: repeated reloads do not make it grow).
compact_free_share: float = 0.25
