"""Read-side of the 招商引资 ledger: each deal's funds arrived and each county's pipeline rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from diaodu.engine.periods import Period
from diaodu.investment import rates
from diaodu.investment.models import Deal, DealStage
from diaodu.org.models import Region

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=14, decimal_places=4)


def with_arrivals(qs: QuerySet, period: Period) -> QuerySet:
    """Annotate ``arrived`` (到位资金 to the end of the period, all years) and
    ``arrived_year`` (this year, 1 to the period's month)."""
    upto = Q(arrivals__year__lt=period.year) | Q(arrivals__year=period.year, arrivals__month__lte=period.month)
    this_year = Q(arrivals__year=period.year, arrivals__month__lte=period.month)
    return qs.annotate(
        arrived=Coalesce(Sum("arrivals__amount", filter=upto), Value(ZERO), output_field=MONEY),
        arrived_year=Coalesce(Sum("arrivals__amount", filter=this_year), Value(ZERO), output_field=MONEY),
    )


def facts(deal) -> rates.DealFacts:
    return rates.DealFacts(signed=deal.is_signed, started=deal.is_started,
                           terminated=deal.stage == DealStage.TERMINATED,
                           contract_amount=deal.contract_amount, arrived=deal.arrived)


@dataclass
class CountyPipeline:
    region: Region
    rates: rates.PipelineRates
    arrived_year: Decimal
    by_stage: dict[str, int]
    ranks: dict = field(default_factory=dict)


def county_pipeline(period: Period) -> dict[str, CountyPipeline]:
    """Each county's pipeline rates at the period, ranked (1 = best)."""
    regions = {r.code: r for r in Region.objects.home_counties()}
    deals: dict[str, list] = {code: [] for code in regions}
    for deal in with_arrivals(Deal.objects.filter(region_id__in=regions), period):
        deals[deal.region_id].append(deal)
    out = {}
    for code, region in regions.items():
        items = deals[code]
        by_stage = {value: 0 for value in DealStage.values}
        for d in items:
            by_stage[d.stage] += 1
        out[code] = CountyPipeline(region, rates.pipeline_rates(facts(d) for d in items),
                                   sum((d.arrived_year for d in items), ZERO), by_stage)
    for key in ("start_rate", "funds_rate", "performance_rate"):
        for code, position in rates.rank({c: getattr(p.rates, key) for c, p in out.items()}).items():
            out[code].ranks[key] = position
    return out
