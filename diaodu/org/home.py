"""The home city (本市): the one accessor every part of Diaodu asks.

DIAODU_HOME_REGION, when set, wins; otherwise the city stored by ``diaodu setup-city``. Before either,
the code is "" and pages say what to run (see ``diaodu.dashboard.middleware``). The stored code is read
in ``diaodu.org.models`` (beside HomeCity, whose queryset methods need it too)."""

from __future__ import annotations

from diaodu.org.models import Region, forget_home, home_code

__all__ = ["forget", "home_code", "home_region", "region_filter"]

forget = forget_home


def home_region() -> Region | None:
    """The home city's Region, or None before setup."""
    code = home_code()
    return Region.objects.filter(code=code).first() if code else None


def region_filter(qs, region_code: str | None):
    """A county's records, or every record for the home city / no region."""
    if region_code and region_code != home_code():
        return qs.filter(region_id=region_code)
    return qs
