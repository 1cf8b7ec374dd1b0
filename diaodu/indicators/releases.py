"""Which periods are released (期别发布), and the one default period every reader uses.

The dispatch room, the documents, the API and ``diaodu brief`` open on
:func:`latest_released_period`, never on "the latest period with any figure": a county that
publishes one figure of a new month must not move every reader to a month the statistics
office has not released. A period opened explicitly that is not released carries
:data:`PRELIMINARY_LABEL`.
"""

from __future__ import annotations

from django.db.models import Q

from diaodu.engine.periods import Period, PeriodError
from diaodu.indicators.models import Observation, PeriodRelease
from diaodu.org.models import Region

PRELIMINARY_LABEL = "初步数据（未发布）"
CITY, PROVINCE = PeriodRelease.Scope.CITY, PeriodRelease.Scope.PROVINCE


def latest_released_period(scope: str = CITY) -> Period | None:
    """The latest period released whole (no indicator list) for ``scope``; None before any release."""
    row = (PeriodRelease.objects.filter(scope=scope, whole=True)
           .order_by("-year", "-month").values_list("year", "month").first())
    return Period(*row) if row else None


def released_periods(scope: str = CITY) -> set[Period]:
    """Every period released whole for ``scope``."""
    return {Period(y, m) for y, m in PeriodRelease.objects.filter(scope=scope, whole=True)
            .values_list("year", "month").distinct()}


def is_released(period: Period, scope: str = CITY, indicator: str | None = None) -> bool:
    """Whether ``period`` is released for ``scope`` (whole, or for ``indicator`` alone)."""
    for whole, codes in PeriodRelease.objects.filter(scope=scope, year=period.year, month=period.month).values_list(
            "whole", "indicators"):
        if whole or (indicator is not None and indicator in codes):
            return True
    return False


def period_status(period: Period | None) -> dict:
    """What a page or document says about its period: released for the city and for the
    province, and the label to show when it is not (empty when released); whether any other 市州
    has a figure of the period (without one there is no provincial rank to call preliminary)."""
    if period is None:
        return {"released": False, "province_released": False, "label": ""}
    city = is_released(period, CITY)
    province = is_released(period, PROVINCE)
    return {"released": city, "province_released": province, "label": "" if city else PRELIMINARY_LABEL,
            "province_label": "" if province else PRELIMINARY_LABEL,
            "province_figures": province or other_cities_reported(period)}


def other_cities_reported(period: Period) -> bool:
    """Whether a 市州 of the province other than the home city has a figure of the twelve months
    ending at ``period``: a page's provincial ranks stand on each indicator's latest figures (前三季度
    at 1-11月), so they exist when the others reported a recent month, not only this one."""
    home = Region.objects.home()
    if home is None:
        return False
    recent = Q(year=period.year, month__lte=period.month) | Q(year=period.year - 1, month__gt=period.month)
    return Observation.objects.filter(recent, region__in=home.peers()).exclude(region=home).exists()


def period_or_default(text: str | None) -> Period | None:
    """``text`` as a period when it names one, else the latest released period."""
    if text:
        try:
            return Period.parse(text)
        except PeriodError:
            pass
    return latest_released_period()
