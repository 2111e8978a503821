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
import math
import os
import re
import shutil
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


def publish_tiles(tiles: list[tuple], stem: str, *, directory: Path | None = None) -> dict | None:
    """Write a level's vector tiles (z, x, y, bytes) as ``<stem>-<hash>/{z}/{x}/{y}.pbf`` (once; the folder appears
    whole or not at all) and return where they are: ``{"url": <folder URL>, "minzoom": .., "maxzoom": .., "bounds":
    [west, south, east, north]}``; None when there are none or the folder is not writable.

    Inside the tiles' box every position has a file — an empty one (a valid tile of no features) where no unit is —
    so that MapLibre never asks for a tile that is not there."""
    if not tiles:
        return None
    directory = directory or STATIC_DIR / "tiles"
    digest = hashlib.sha256()
    for z, x, y, body in tiles:
        digest.update(f"{z}/{x}/{y}:{len(body)}:".encode())
        digest.update(body)
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()) or "level"
    name = f"{slug}-{digest.hexdigest()[:16]}"
    folder = directory / name
    zooms: dict[int, list[tuple[int, int]]] = {}
    for z, x, y, _b in tiles:
        zooms.setdefault(z, []).append((x, y))
    last = max(zooms)
    xs, ys = [p[0] for p in zooms[last]], [p[1] for p in zooms[last]]
    box = (min(xs) / 2**last, min(ys) / 2**last, (max(xs) + 1) / 2**last, (max(ys) + 1) / 2**last)  # share of world
    try:
        if not folder.exists():
            tmp = directory / f"{name}.{os.getpid()}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            for z, x, y, body in tiles:
                (tmp / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
                (tmp / str(z) / str(x) / f"{y}.pbf").write_bytes(body)
            for z in zooms:  # every tile MapLibre may ask for inside the box (the last zoom's tiles)
                n = 2**z
                for x in range(int(box[0] * n), math.ceil(box[2] * n)):
                    (tmp / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
                    for y in range(int(box[1] * n), math.ceil(box[3] * n)):
                        (tmp / str(z) / str(x) / f"{y}.pbf").touch(exist_ok=True)
            try:
                os.replace(tmp, folder)
            except OSError:  # another server process published the same tiles first
                shutil.rmtree(tmp, ignore_errors=True)
            _prune_folders(directory, slug, keep=name)
    except OSError:
        return None
    west, north = _lon_lat(last, min(xs), min(ys))
    east, south = _lon_lat(last, max(xs) + 1, max(ys) + 1)
    return {
        "url": f"{URL_PREFIX}/{directory.name}/{name}",
        "minzoom": min(zooms),
        "maxzoom": last,
        "bounds": [west + 1e-7, south + 1e-7, east - 1e-7, north - 1e-7],  # inside: MapLibre rounds edges outwards
    }


def _lon_lat(z: int, x: int, y: int) -> tuple[float, float]:
    """The north-west corner of tile (z, x, y) in degrees."""
    n = 2.0**z
    return x / n * 360.0 - 180.0, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


def _older(directory: Path, slug: str, keep: str) -> list[Path]:
    """This slug's earlier files or folders (``<slug>-<16 hex>…``, not another slug that starts alike, such as
    ``rejon-stat`` beside ``rejon``) last written more than :data:`KEEP_OLD_S` ago."""
    mine = re.compile(rf"{re.escape(slug)}-[0-9a-f]{{16}}(\.[^/]*)?")
    now = time.time()
    return [
        old
        for old in directory.glob(f"{slug}-*")
        if old.name != keep and mine.fullmatch(old.name) and now - old.stat().st_mtime > KEEP_OLD_S
    ]


def _prune_folders(directory: Path, slug: str, *, keep: str) -> None:
    for old in _older(directory, slug, keep):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _prune(directory: Path, slug: str, *, keep: str) -> None:
    for old in _older(directory, slug, keep):
        if old.is_file():
            old.unlink(missing_ok=True)
