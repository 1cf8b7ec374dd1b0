"""Load regions, departments and the indicator catalogue from the shipped JSON
files (or a deployment's own file). Functions take the model classes so data
migrations can pass their historical models."""

from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE = Path(__file__).resolve().parent.parent / "indicators" / "data" / "catalogue.json"


class LoadError(Exception):
    pass


def load_regions(Region, path: Path = DATA_DIR / "regions_gansu.json") -> int:
    """Create or update regions from a file of {"regions": [{code, name, short_name, level, parent}]}."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
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


def load_departments(Department, path: Path = DATA_DIR / "departments_longnan.json") -> int:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for order, item in enumerate(data["departments"]):
        Department.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "full_name": item.get("full_name", ""),
                      "aliases": item.get("aliases", []), "region_id": data["region"], "order": order},
        )
    return len(data["departments"])


def load_peer_groups(PeerGroup, Region) -> None:
    """The default groups: a province's 市州 and each city's 县区."""
    for parent in Region.objects.filter(level__in=["province", "city"]):
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
