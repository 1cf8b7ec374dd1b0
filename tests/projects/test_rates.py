"""The project and investment rate formulas on hand-worked cases (DOMAIN.md §2, §4)."""

from decimal import Decimal

import pytest

from diaodu.investment import rates as inv
from diaodu.projects import rates


def test_plan_completion_and_schedule():
    # 计划 12 亿元, 1-10月 完成 8 亿元: 完成率 66.7%, 序时目标 10 亿元, 差 2 亿元, behind.
    assert rates.plan_completion_rate(8, 12) == pytest.approx(2 / 3)
    assert rates.schedule_target(12, 10) == pytest.approx(10.0)
    assert rates.schedule_gap(8, 12, 10) == pytest.approx(2.0)
    assert rates.is_behind_plan(Decimal("8"), Decimal("12"), 10)
    # exactly on schedule is not behind; ahead is not behind; no plan is never behind
    assert not rates.is_behind_plan(10, 12, 10)
    assert not rates.is_behind_plan(11, 12, 10)
    assert not rates.is_behind_plan(0, 0, 10)
    # 1-3月: 序时 25%
    assert rates.schedule_target(Decimal("4.8"), 3) == pytest.approx(1.2)
    assert rates.plan_completion_rate(1, 0) is None


def test_start_rate_and_ranks():
    assert rates.start_rate(7, 10) == pytest.approx(0.7)
    assert rates.start_rate(0, 0) is None
    assert rates.rank({"a": 0.5, "b": 0.9, "c": 0.5, "d": 0.1, "e": None}) == \
        {"b": 1, "a": 2, "c": 2, "d": 4, "e": None}
    assert rates.rank({"a": 3, "b": 1}, descending=False) == {"b": 1, "a": 2}


def test_investment_rates_hand_worked():
    # Five deals: 在谈 (not signed), 签约 10 亿 (到位 2), 开工 20 亿 (到位 8), 投产 5 亿 (到位 5),
    # 终止 after signing 5 亿 (到位 1).
    deals = [
        inv.DealFacts(signed=False, started=False, terminated=False, contract_amount=3, arrived=0),
        inv.DealFacts(signed=True, started=False, terminated=False, contract_amount=10, arrived=2),
        inv.DealFacts(signed=True, started=True, terminated=False, contract_amount=20, arrived=8),
        inv.DealFacts(signed=True, started=True, terminated=False, contract_amount=5, arrived=5),
        inv.DealFacts(signed=True, started=False, terminated=True, contract_amount=5, arrived=1),
    ]
    r = inv.pipeline_rates(deals)
    assert (r.deals, r.signed, r.started, r.terminated) == (5, 4, 2, 1)
    assert r.contracted == Decimal("40") and r.arrived == Decimal("16")
    assert r.funds_rate == pytest.approx(0.4)  # 16 / 40
    assert r.start_rate == pytest.approx(0.5)  # 2 / 4
    assert r.performance_rate == pytest.approx(0.75)  # (4 - 1) / 4: only the terminated one is excluded
    assert inv.funds_arrival_rate(0, 0) is None
    assert inv.pipeline_rates([]).start_rate is None
