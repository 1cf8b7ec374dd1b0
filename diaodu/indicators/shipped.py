"""Data shipped with the indicators app, loaded by data migrations and after a test flush.
Reads JSON only and takes the model as an argument (a migration passes its historical one)."""

from __future__ import annotations

import json
from pathlib import Path

VALIDATION_RULES = Path(__file__).resolve().parent / "data" / "validation_rules.json"


def load_validation_rules(ValidationRule, path: Path = VALIDATION_RULES) -> int:
    """The default validation rules; a rule the statistics office already edited is left as it is."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for item in data["rules"]:
        ValidationRule.objects.get_or_create(code=item["code"], defaults={
            "name": item["name"], "kind": item["kind"], "severity": item["severity"],
            "threshold": item["threshold"], "indicators": item.get("indicators", []), "note": item.get("note", "")})
    return len(data["rules"])


INDICATOR_DEPARTMENTS = Path(__file__).resolve().parent / "data" / "indicator_departments.json"


def load_indicator_departments(Indicator, departments, path: Path = INDICATOR_DEPARTMENTS) -> int:
    """Which department reports which indicator, for ``departments`` (a queryset: a city's, or all)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    count = 0
    for code, indicators in data["departments"].items():
        department = departments.filter(code=code).first()
        if department is None:
            continue
        for indicator in Indicator.objects.filter(code__in=indicators):
            indicator.departments.add(department)
            count += 1
    return count
