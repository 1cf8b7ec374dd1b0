"""The arithmetic of the 招商引资 pipeline (DOMAIN.md §4). Pure: numbers in, numbers out.

Over a county's signed deals (签约项目: every deal that reached 签约, including those later
终止; 在谈 deals are not signed):

- 资金到位率 = 累计到位资金 / 签约金额 (both summed over the signed deals);
- 签约项目开工率 = 开工项目 (开工 or 投产) / 签约项目;
- 履约率 = 签约项目中未终止的 / 签约项目 — terminated deals are the only ones excluded.

Ranks use ``diaodu.core.rates.rank`` (1 is best, ties share a rank).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from diaodu.core.rates import Number, rank, ratio

__all__ = ["DealFacts", "PipelineRates", "funds_arrival_rate", "start_rate", "performance_rate",
           "pipeline_rates", "rank"]


def funds_arrival_rate(arrived: Number, contracted: Number) -> float | None:
    """资金到位率 = 到位资金 / 签约金额."""
    return ratio(arrived, contracted)


def start_rate(started: int, signed: int) -> float | None:
    """签约项目开工率 = 开工项目 / 签约项目."""
    return ratio(started, signed)


def performance_rate(terminated: int, signed: int) -> float | None:
    """履约率 = (签约项目 − 终止) / 签约项目."""
    return ratio(signed - terminated, signed)


@dataclass(frozen=True)
class DealFacts:
    """What the rates need from one deal."""

    signed: bool
    started: bool
    terminated: bool
    contract_amount: Number
    arrived: Number


@dataclass(frozen=True)
class PipelineRates:
    deals: int
    signed: int
    started: int
    terminated: int
    contracted: Decimal
    arrived: Decimal
    start_rate: float | None
    funds_rate: float | None
    performance_rate: float | None


def pipeline_rates(deals: Iterable[DealFacts]) -> PipelineRates:
    """The rates of one county's (or the city's) pipeline."""
    total = signed = started = terminated = 0
    contracted = arrived = Decimal("0")
    for deal in deals:
        total += 1
        if not deal.signed:
            continue
        signed += 1
        started += bool(deal.started)
        terminated += bool(deal.terminated)
        contracted += Decimal(str(deal.contract_amount))
        arrived += Decimal(str(deal.arrived))
    return PipelineRates(total, signed, started, terminated, contracted, arrived,
                         start_rate(started, signed), funds_arrival_rate(arrived, contracted),
                         performance_rate(terminated, signed))
