"""The home city (本市): the one accessor every part of Diaodu asks.

DIAODU_HOME_REGION, when set, wins; otherwise the city stored by ``diaodu setup-city``. Before either,
the code is "" and pages say what to run (see ``diaodu.dashboard.middleware``)."""

from __future__ import annotations

from django.conf import settings

_STORED: dict[str, str] = {}


def home_code() -> str:
    if settings.DIAODU_HOME_REGION:
        return settings.DIAODU_HOME_REGION
    if "code" not in _STORED:
        from django.db import DatabaseError

        from diaodu.org.models import HomeCity

        try:
            row = HomeCity.objects.order_by("pk").values_list("region_id", flat=True).first()
        except DatabaseError:  # before migrate
            return ""
        if row is None:
            return ""  # not remembered: setup-city may run in another process at any moment
        _STORED["code"] = row
    return _STORED["code"]


def forget() -> None:
    """Drop the remembered stored code (after setup-city, a flush or a test)."""
    _STORED.clear()


def home_region():
    """The home city's Region, or None before setup."""
    from diaodu.org.models import Region

    code = home_code()
    return Region.objects.filter(code=code).first() if code else None
