"""The JavaScript kept in the repository (MapLibre GL JS, ``dashboard/vendor/maplibre-gl``) is the release its
``SOURCE.md`` names, byte for byte: a formatter or a hand edit would change what the browser tests tested."""

from __future__ import annotations

import hashlib

from dashboard.large_map import VENDOR, maplibre_files


def test_the_vendored_maplibre_files_are_the_ones_their_checksums_name():
    listed = dict(reversed(line.split()) for line in (VENDOR / "SHA256SUMS").read_text("utf-8").splitlines())
    kept = {path.name for path in VENDOR.iterdir()} - {"SHA256SUMS", "SOURCE.md"}
    assert set(listed) == kept == {"maplibre-gl.mjs", "maplibre-gl-worker.mjs", "maplibre-gl.css", "LICENSE.txt"}
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_the_map_gets_maplibre_6_as_a_module_with_its_worker():
    module, worker, style = maplibre_files()
    assert b"v6.20.0" in module[:300] and b"setWorkerUrl" in module  # what large_map.js calls before the first map
    assert b"v6.20.0" in worker[:300] and b"export{" in worker  # a module worker, as setWorkerUrl expects
    assert b".maplibregl-map" in style
