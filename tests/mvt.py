"""Just enough of a Mapbox Vector Tile reader for the tests: layers, and each feature's id and geometry type
(the protobuf wire format read by hand, so that the tests check the bytes the browser gets, not a library's view)."""

from __future__ import annotations

from collections.abc import Iterator


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of a protobuf message: an int for varints, bytes for everything else."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            size, i = _varint(data, i)
            value, i = data[i : i + size], i + size
        elif wire == 5:
            value, i = data[i : i + 4], i + 4
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        else:
            raise ValueError(f"wire type {wire} at byte {i}")
        yield number, value


def layers(tile: bytes) -> dict[str, dict]:
    """Each layer of a tile by name: its extent and its features as (id, geometry type: 1 point, 2 line, 3 polygon)."""
    found = {}
    for number, layer in fields(tile):
        if number != 3:
            continue
        name, extent, features = "", 4096, []
        for part, value in fields(layer):  # type: ignore[arg-type]
            if part == 1:
                name = bytes(value).decode("utf-8")  # type: ignore[arg-type]
            elif part == 5:
                extent = int(value)  # type: ignore[arg-type]
            elif part == 2:
                feature = dict(fields(value))  # type: ignore[arg-type]
                features.append((feature.get(1), feature.get(3)))
        found[name] = {"extent": extent, "features": features}
    return found
