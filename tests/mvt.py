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


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def polygons(tile: bytes, layer: str = "units") -> list[tuple[int, object]]:
    """Each polygon feature of ``layer`` as (id, shapely geometry in the tile's grid: x right, y down): rings read
    from the MoveTo/LineTo/ClosePath commands, an exterior ring (positive area in y-down space) starting a polygon,
    the rings after it its holes."""
    import shapely

    found = []
    for number, data in fields(tile):
        if number != 3:
            continue
        parts = list(fields(data))  # type: ignore[arg-type]
        if not any(n == 1 and bytes(v) == layer.encode() for n, v in parts):  # type: ignore[arg-type]
            continue
        for part, feature in parts:
            if part != 2:
                continue
            values = dict(fields(feature))  # type: ignore[arg-type]
            raw, ints, i = values.get(4, b""), [], 0
            while i < len(raw):  # packed varints
                value, i = _varint(raw, i)  # type: ignore[arg-type]
                ints.append(value)
            rings, ring, x, y, i = [], [], 0, 0, 0
            while i < len(ints):
                command, count = ints[i] & 7, ints[i] >> 3
                i += 1
                if command == 7:
                    rings.append(ring)
                    continue
                for _ in range(count):
                    x, y = x + _zigzag(ints[i]), y + _zigzag(ints[i + 1])
                    i += 2
                    if command == 1:
                        ring = [(x, y)]
                    else:
                        ring.append((x, y))
            shapes, exterior, holes = [], None, []
            for points in rings:
                area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True))
                if area > 0:  # clockwise on screen: an exterior ring (MVT 2.1)
                    if exterior:
                        shapes.append(shapely.Polygon(exterior, holes))
                    exterior, holes = points, []
                else:
                    holes.append(points)
            if exterior:
                shapes.append(shapely.Polygon(exterior, holes))
            found.append((values.get(1), shapely.union_all(shapes) if shapes else shapely.Polygon()))
    return found
