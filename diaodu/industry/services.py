"""Queries other apps use: the parks whose plans are due (for supervision)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from diaodu.industry.models import Park


@dataclass(frozen=True)
class ParkDue:
    park: Park
    deadline: dt.date
    days_left: int  # negative = overdue
    lead_unit: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def parks_due(today: dt.date | None = None, within_days: int | None = None) -> list[ParkDue]:
    """Parks whose plan has a deadline and is not done yet, soonest first.

    Supervision turns each into a task (交办事项: 规划编制, lead unit, deadline);
    ``within_days`` keeps only those due within that many days (overdue included).
    """
    today = today or timezone.localdate()
    qs = (Park.objects.filter(plan_deadline__isnull=False, plan_done_on__isnull=True)
          .select_related("department", "region").order_by("plan_deadline", "code"))
    out = []
    for park in qs:
        days = (park.plan_deadline - today).days
        if within_days is not None and days > within_days:
            continue
        out.append(ParkDue(park, park.plan_deadline, days, park.lead_unit_name))
    return out
