"""Maps by region code: the province's map (by 地级 unit) is ``/maps/<province code>.json``, a city's
(by 县级 unit) ``/maps/<city code>.json``.

With DIAODU_MAP_DIR set, only the deployment's approved files ``<code>.json`` there are used (no
示意图 note); otherwise the bundled 示意图 of ``static/maps/china/<2-digit>.json.gz`` (see the README
there). A code without a map has none: the page says so instead of drawing another city's outlines."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

from django.conf import settings

BUNDLED = Path(__file__).resolve().parent / "static" / "maps" / "china"


@functools.lru_cache(maxsize=8)
def _bundle(prefix: str) -> dict[str, bytes]:
    path = BUNDLED / f"{prefix}.json.gz"
    if not path.is_file():
        return {}
    maps = json.loads(gzip.decompress(path.read_bytes()))
    return {code: json.dumps(geo, ensure_ascii=False, separators=(",", ":")).encode() for code, geo in maps.items()}


def geojson(code: str) -> bytes | None:
    """The map of ``code`` as GeoJSON bytes, or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    if settings.DIAODU_MAP_DIR:
        path = Path(settings.DIAODU_MAP_DIR) / f"{code}.json"
        return path.read_bytes() if path.is_file() else None
    return _bundle(code[:2]).get(code)


def has_map(code: str | None) -> bool:
    return bool(code) and geojson(code) is not None
