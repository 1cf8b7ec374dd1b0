"""The period a ledger page shows: the one asked for, else the latest published figures' (so the
ledgers line up with the figures pages), else the ledger's own latest month, else last month."""

from __future__ import annotations

import calendar
import datetime as dt

from diaodu.engine.periods import Period, PeriodError
from diaodu.indicators.models import Observation


def period_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def page_period(text: str | None, *fallbacks) -> Period:
    """``text`` as a period when it names one; else the latest published figures' period; else the
    latest (year, month) of the ``fallbacks`` (querysets of a ledger's monthly records); else
    last month."""
    if text:
        try:
            return Period.parse(text)
        except PeriodError:
            pass
    for qs in (Observation.objects.filter(published_revision__isnull=False), *fallbacks):
        row = qs.order_by("-year", "-month").values_list("year", "month").first()
        if row is not None:
            return Period(*row)
    today = dt.date.today()
    return Period(today.year, max(today.month - 1, 1))
