"""The write path of the 招商引资 ledger: deals and their monthly funds arrived.

Wraps ``diaodu.core.write_path`` (scope, change record, optimistic version). Funds arrived
belong to the deal's county, so recording them needs write scope on the deal.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from diaodu.core import write_path
from diaodu.core.write_path import ConflictError  # noqa: F401  (re-exported for views)
from diaodu.investment.models import Deal, FundsArrival
from diaodu.org import scopes


def create_deal(user, deal: Deal, *, reason: str = "", source: str = "web") -> Deal:
    return write_path.create_record(user, deal, reason=reason, source=source)


def update_deal(user, deal: Deal, changes: dict, *, expected_version: int | None = None,
                reason: str = "", source: str = "web") -> bool:
    return write_path.update_record(user, deal, changes, expected_version=expected_version,
                                 reason=reason, source=source)


def record_arrival(user, deal: Deal, year: int, month: int, amount, *, note: str = "",
                   expected_version: int | None = None, reason: str = "", source: str = "web") -> FundsArrival:
    """Create or update the funds the deal received in (year, month)."""
    scopes.check_write_ledger(user, deal.region_id, deal.department_id)
    amount = Decimal(str(amount))
    existing = FundsArrival.objects.filter(deal=deal, year=year, month=month).first()
    with transaction.atomic():
        if existing is None:
            arrival = FundsArrival(deal=deal, year=year, month=month, amount=amount, note=note,
                                   region_id=deal.region_id, department_id=deal.department_id)
            return write_path.create_record(user, arrival, reason=reason, source=source)
        write_path.update_record(user, existing, {"amount": amount, "note": note},
                              expected_version=expected_version, reason=reason, source=source)
        return existing
