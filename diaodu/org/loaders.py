"""Load regions, departments and the indicator catalogue from the shipped JSON
files (or a deployment's own file). Functions take the model classes so data
migrations can pass their historical models."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE = Path(__file__).resolve().parent.parent / "indicators" / "data" / "catalogue.json"


class LoadError(Exception):
    pass


COUNTRY = DATA_DIR / "regions_china.json.gz"
CITY_DEPARTMENTS = DATA_DIR / "departments_city.json"


def read_regions(path: Path) -> dict:
    """A regions file, plain JSON or gzipped; rows either objects or lists in ``columns`` order."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data = json.loads(raw.decode("utf-8"))
    columns = data.get("columns")
    if columns:
        data["regions"] = [dict(zip(columns, row, strict=True)) for row in data["regions"]]
    return data


def load_country_regions(Region, path: Path = COUNTRY) -> int:
    """Add every region of the shipped GB/T 2260 list that the database lacks (one bulk insert;
    existing rows, perhaps renamed by hand or by ``load_regions``, are left alone)."""
    rows = read_regions(path)["regions"]
    known = set(Region.objects.values_list("code", flat=True))
    new = [Region(code=r["code"], name=r["name"], short_name=r["short_name"], level=r["level"],
                  parent_id=r["parent"], order=n) for n, r in enumerate(rows) if r["code"] not in known]
    # Parents before children: provinces, then 地级, then 县级 (a province-level parent may be new too).
    rank = {"province": 0, "city": 1, "county": 2}
    new.sort(key=lambda r: rank[r.level])
    Region.objects.bulk_create(new, batch_size=500)
    return len(new)


def load_regions(Region, path: Path = COUNTRY) -> int:
    """Create or update regions from a file of {"regions": [{code, name, short_name, level, parent}]}."""
    data = read_regions(path)
    count = 0
    known = set(Region.objects.values_list("code", flat=True))
    for order, item in enumerate(data["regions"]):
        code = str(item["code"])
        if len(code) != 6 or not code.isdigit():
            raise LoadError(f"区划代码“{code}”应为 6 位数字（GB/T 2260）")
        if item["level"] not in ("province", "city", "county"):
            raise LoadError(f"区划 {code} 的层级“{item['level']}”应为 province/city/county")
        parent = item.get("parent")
        if parent and parent not in known:
            raise LoadError(f"区划 {code} 的上级 {parent} 不存在：上级须排在下级之前")
        Region.objects.update_or_create(
            code=code,
            defaults={"name": item["name"], "short_name": item.get("short_name") or item["name"],
                      "level": item["level"], "parent_id": parent, "order": order},
        )
        known.add(code)
        count += 1
    return count


def city_short_name(city) -> str:
    """天水市 → 天水, 临夏回族自治州 → 临夏 (as in 国家统计局临夏调查队)."""
    short = city.short_name or city.name
    return short[:-1] if len(short) > 2 and short[-1] in "市州盟" else short


def load_departments(Department, city, path: Path = CITY_DEPARTMENTS) -> tuple[int, int]:
    """The standard departments of ``city`` (a Region), named for it. A department code already held
    by another city's department gets the city code as prefix. Returns (created, kept)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    names = {"city": city.name, "short": city_short_name(city)}
    created = kept = 0
    for order, item in enumerate(data["departments"]):
        name = item["name"].format(**names)
        if Department.objects.filter(region_id=city.code, name=name).exists():
            kept += 1
            continue
        code = item["code"]
        if Department.objects.filter(code=code).exists():
            code = f"{city.code}-{code}"
        Department.objects.create(
            code=code, name=name, full_name=item.get("full_name", "").format(**names),
            aliases=[a.format(**names) for a in item.get("aliases", [])], region_id=city.code, order=order)
        created += 1
    return created, kept


def load_peer_groups(PeerGroup, Region, parents=None) -> None:
    """The default groups: a province's 市州 and each city's 县区 (of ``parents``, default: every
    province and city with children)."""
    if parents is None:
        parents = Region.objects.filter(level__in=["province", "city"])
    for parent in parents:
        members = list(Region.objects.filter(parent=parent))
        if not members:
            continue
        label = "市州" if parent.level == "province" else "县区"
        group, _ = PeerGroup.objects.update_or_create(
            code=f"{parent.code}-children", defaults={"name": f"{parent.name}{len(members)}个{label}"}
        )
        group.members.set(members)


def load_catalogue(Indicator, path: Path = CATALOGUE) -> int:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for order, item in enumerate(data["indicators"]):
        Indicator.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"], "short_name": item["short_name"], "unit": item["unit"],
                "frequency": item["frequency"], "kind": item["kind"], "price_basis": item["price_basis"],
                "polarity": item["polarity"], "additive": item["additive"], "first_month": item["first_month"],
                "is_main": item["is_main"], "aliases": item.get("aliases", []), "order": order,
            },
        )
    return len(data["indicators"])
