"""The extractor (``extract.py``, pure) wired to the org catalogue in the database."""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError

from diaodu.org.home import home_code
from diaodu.supervision.extract import DraftTask, UnitDictionary, default_units, extract_tasks


def units_from_catalogue() -> UnitDictionary:
    """Departments (with aliases) and the home city's counties as stored; the shipped
    files when the database is not set up yet."""
    from diaodu.org.models import Department, Region

    try:
        departments = []
        for d in Department.objects.filter(region_id=home_code()).order_by("order", "code"):
            aliases = [a for a in d.aliases if a]
            if d.full_name and d.full_name not in aliases:
                aliases.append(d.full_name)
            departments.append((d.name, aliases))
        counties = [
            (r.name, [r.short_name] if r.short_name and r.short_name != r.name else [])
            for r in Region.objects.home_counties()
        ]
    except DatabaseError:
        return default_units()
    if not departments and not counties:
        return default_units()
    return UnitDictionary(departments, counties)


def draft_tasks(text: str, meeting_date: dt.date, *, include_unassigned: bool = False) -> list[DraftTask]:
    return extract_tasks(text, units_from_catalogue(), today=meeting_date, include_unassigned=include_unassigned)
