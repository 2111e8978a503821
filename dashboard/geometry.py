"""Display geometry served once as a static, cacheable file.

A level's display geometry (about 1.8 MB for Poland's 2,477 gminy) is written once per content under
``dashboard/static/geo/`` and Plotly gets its URL; every interaction afterwards ships only codes and values.
Streamlit serves that folder at ``app/static/`` when ``server.enableStaticServing`` is on (``ldatlas serve`` turns
it on). The file name is the hash of its content, so a changed store gives a new URL and browsers never see a
stale file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
URL_PREFIX = "app/static"
KEEP_OLD_S = 24 * 3600  # older files of a level are removed after a day (open pages may still use them)


def geojson_body(geojson: dict) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(geojson, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def publish(geojson: dict, level: str, *, directory: Path | None = None) -> str | None:
    """Write the layer under its content hash (once) and return its relative URL; None when not writable."""
    return publish_json(geojson, level, directory=directory or STATIC_DIR / "geo")


def publish_json(document: dict, stem: str, *, directory: Path | None = None) -> str | None:
    """Write any JSON document as ``<stem>-<hash>.json`` (once); its relative URL, or None when not writable."""
    return publish_bytes(geojson_body(document), stem, ".json", directory=directory)


def publish_bytes(body: bytes, stem: str, suffix: str, *, directory: Path | None = None) -> str | None:
    """Write a file as ``<stem>-<hash><suffix>`` (once); its relative URL, or None when not writable."""
    directory = directory or STATIC_DIR / "geo"
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()) or "level"
    name = f"{slug}-{hashlib.sha256(body).hexdigest()[:16]}{suffix}"
    path = directory / name
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, path)
            _prune(directory, slug, keep=name)
    except OSError:
        return None
    return f"{URL_PREFIX}/{directory.name}/{name}"


def _prune(directory: Path, slug: str, *, keep: str) -> None:
    now = time.time()
    for old in directory.glob(f"{slug}-*.*"):
        if old.name != keep and now - old.stat().st_mtime > KEEP_OLD_S:
            old.unlink(missing_ok=True)
