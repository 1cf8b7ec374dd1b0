#!/usr/bin/env python3
"""Turn an ECharts map script (``echarts.registerMap(name, {...})`` in ECharts' compressed format)
into plain RFC 7946 GeoJSON, as used for ``diaodu/dashboard/static/maps/*.json``.

One-off tool, kept so the shipped default maps can be regenerated and audited; a deployment that
brings its own approved map does not need it (see ``diaodu/dashboard/static/maps/README.md``).

    python scripts/geojson_from_echarts.py gansu.js gansu.json --tolerance 0.002
    python scripts/geojson_from_echarts.py gan1_su4_tian1_shui3.js 620500.json --tolerance 0.001

Steps:
1. Read the object literal passed to ``registerMap`` (plain JSON after quoting its keys).
2. Decode it as ECharts does (``decode``/``decodeRing`` in echarts ``lib/coord/geo/parseGeoJson.js``):
   each ring is a string of character pairs; ``code - 64`` is a zigzag-encoded delta from the
   previous point, starting at the ring's ``encodeOffsets`` pair; coordinates are divided by
   ``UTF8Scale`` (default 1024).
3. Optionally simplify with Douglas-Peucker, topology-preserving: rings are cut at vertices where
   the neighbouring features change, and each shared arc is simplified in a canonical direction, so
   two neighbours keep the same border.
4. Round to ``--digits`` decimals, close the rings, orient them by the right-hand rule, and keep only
   ``properties.name`` and ``properties.adcode`` (the feature ``id``, a 6-digit division code).

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

Point = tuple[int, int]


def read_register_map(text: str) -> dict:
    """Extract the FeatureCollection literal passed to echarts.registerMap."""
    m = re.search(r"registerMap\(\s*([\"'])(.*?)\1\s*,\s*", text)
    if not m:
        raise ValueError("no registerMap call found")
    start = m.end()
    if text[start] != "{":
        raise ValueError("registerMap's second argument is not an object literal")
    depth, in_str, i = 0, False, start
    while True:
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    literal = text[start : i + 1]
    # Encoded strings only hold characters >= '@' (and escapes), never ':' or ',', so quoting the
    # bare keys and the minifier's booleans with regular expressions cannot touch string contents.
    literal = re.sub(r"([{,])\s*([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', literal)
    literal = literal.replace("!0", "true").replace("!1", "false")
    return json.loads(literal)


def decode_ring(encoded: str, offset: list[int]) -> list[Point]:
    """Decode one ring into integer coordinates (still multiplied by the scale)."""
    px, py = offset
    out = []
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))  # zigzag
        y = (y >> 1) ^ (-(y & 1))
        px, py = px + x, py + y  # delta
        out.append((px, py))
    return out


def decode(collection: dict) -> list[dict]:
    """Return [{'name', 'adcode', 'polygons': [[ring, ...], ...]}] with integer rings (open)."""
    if not collection.get("UTF8Encoding"):
        raise ValueError("not in ECharts' compressed format (UTF8Encoding is not set)")
    out = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            polygons, offsets = [geometry["coordinates"]], [offsets]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise ValueError(f"unsupported geometry {geometry['type']}")
        rings = [
            [_open(decode_ring(ring, off)) for ring, off in zip(poly, poly_offsets, strict=True)]
            for poly, poly_offsets in zip(polygons, offsets, strict=True)
        ]
        out.append({"name": feature["properties"]["name"], "adcode": str(feature["id"]), "polygons": rings})
    return out


def _open(ring: list[Point]) -> list[Point]:
    ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def douglas_peucker(pts: list[Point], tol: float) -> list[Point]:
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = pts[a], pts[b]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            x, y = pts[i]
            if length:
                d = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:
                d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, best_i = d, i
        if best > tol:
            keep[best_i] = True
            stack += [(a, best_i), (best_i, b)]
    return [p for p, k in zip(pts, keep, strict=True) if k]


def simplify(features: list[dict], tol: float) -> None:
    """Topology-preserving simplification in place; tol in the integer (scaled) unit."""
    neighbours: dict[Point, set] = defaultdict(set)
    for f in features:
        for poly in f["polygons"]:
            for ring in poly:
                n = len(ring)
                for i, p in enumerate(ring):
                    neighbours[p].add(frozenset((ring[i - 1], ring[(i + 1) % n])))
    for f in features:
        new_polys = []
        for poly in f["polygons"]:
            new_rings = []
            for k, ring in enumerate(poly):
                # A node: a vertex whose neighbours differ between the rings that use it.
                nodes = [i for i, p in enumerate(ring) if len(neighbours[p]) > 1]
                if not nodes:
                    nodes = [min(range(len(ring)), key=lambda i: ring[i])]
                out: list[Point] = []
                for j, s in enumerate(nodes):
                    e = nodes[(j + 1) % len(nodes)]
                    seg = ring[s : e + 1] if e > s else ring[s:] + ring[: e + 1]
                    reverse = seg[-1] < seg[0] or (seg[-1] == seg[0] and len(seg) > 2 and seg[-2] < seg[1])
                    kept = douglas_peucker(seg[::-1], tol)[::-1] if reverse else douglas_peucker(seg, tol)
                    out.extend(kept[:-1])
                if len(out) >= 3:
                    new_rings.append(out)
                elif k == 0:
                    new_rings.append(ring)  # never drop an exterior ring
            new_polys.append(new_rings)
        f["polygons"] = new_polys


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def to_geojson(features: list[dict], scale: float, digits: int) -> dict:
    out = []
    for f in sorted(features, key=lambda f: f["adcode"]):
        polygons = []
        for poly in f["polygons"]:
            rings = []
            for k, ring in enumerate(poly):
                r: list[list[float]] = []
                for x, y in ring:
                    p = [round(x / scale, digits), round(y / scale, digits)]
                    if not r or r[-1] != p:
                        r.append(p)
                if r[0] != r[-1]:
                    r.append(list(r[0]))
                if len(r) < 4:
                    continue
                area = _signed_area(r)
                if (k == 0 and area < 0) or (k > 0 and area > 0):  # RFC 7946 right-hand rule
                    r.reverse()
                rings.append(r)
            if rings:
                polygons.append(rings)
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        out.append(
            {
                "type": "Feature",
                "properties": {"name": f["name"], "adcode": f["adcode"]},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="ECharts map script (.js) calling echarts.registerMap")
    ap.add_argument("target", type=Path, help="GeoJSON file to write")
    ap.add_argument(
        "--tolerance", type=float, default=0.0, help="simplification tolerance in degrees (0: none)"
    )
    ap.add_argument("--digits", type=int, default=4, help="decimals kept (default 4)")
    args = ap.parse_args(argv)

    collection = read_register_map(args.source.read_text(encoding="utf-8"))
    scale = collection.get("UTF8Scale") or 1024
    features = decode(collection)
    if args.tolerance > 0:
        simplify(features, args.tolerance * scale)
    geojson = to_geojson(features, scale, args.digits)
    with args.target.open("w", encoding="utf-8") as fh:
        json.dump(geojson, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    for f in geojson["features"]:
        print(f["properties"]["adcode"], f["properties"]["name"], f["geometry"]["type"], file=sys.stderr)
    print(
        f"{args.target}: {len(geojson['features'])} features, {args.target.stat().st_size} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
