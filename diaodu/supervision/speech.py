"""The extractor (``extract.py``, pure) wired to the org catalogue in the database."""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError

from diaodu.org.home import home_code
from diaodu.supervision.extract import DraftTask, UnitDictionary, default_units, extract_tasks


def units_from_catalogue(region_code: str | None = None) -> UnitDictionary:
    """The units a speech of one government addresses: its departments (with aliases) and the
    regions below it, at the speech's level (a county speech → that county's departments, and
    县发改局 resolves against them). Default: the home city. The shipped files when the database
    is not set up yet. The one place the extractor reads the catalogue.
    """
    from diaodu.org.models import Department, Region

    region_code = region_code or home_code()
    try:
        region = Region.objects.filter(code=region_code).first()
        level = "county" if region is not None and region.level == Region.Level.COUNTY else "city"
        departments = []
        for d in Department.objects.filter(region_id=region_code).order_by("order", "code"):
            aliases = [a for a in d.aliases if a]
            if d.full_name and d.full_name not in aliases:
                aliases.append(d.full_name)
            departments.append((d.name, aliases))
        below = [
            (r.name, [r.short_name] if r.short_name and r.short_name != r.name else [])
            for r in Region.objects.filter(parent_id=region_code, level=Region.Level.COUNTY).order_by("code")
        ]
    except DatabaseError:
        return default_units()
    if not departments and not below and level == "city":
        return default_units()
    return UnitDictionary(departments, below, level=level)


def draft_tasks(text: str, meeting_date: dt.date, *, include_unassigned: bool = False,
                region_code: str | None = None) -> list[DraftTask]:
    return extract_tasks(text, units_from_catalogue(region_code), today=meeting_date,
                         include_unassigned=include_unassigned)
