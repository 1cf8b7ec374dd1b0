"""Execution-rate identities and the 财力缺口 formula (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diaodu.fiscal import calc

amounts = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
months = st.integers(min_value=1, max_value=12)


def test_rates_by_hand():
    assert calc.execution_rate(13.87, 34.8) == pytest.approx(0.3986, abs=1e-4)
    assert calc.schedule_gap(13.87, 34.8, 10) == pytest.approx(0.3986 - 10 / 12, abs=1e-4)
    assert calc.behind_schedule(13.87, 34.8, 10) == pytest.approx(34.8 * 10 / 12 - 13.87)
    assert calc.needed_per_month(13.87, 34.8, 10) == pytest.approx((34.8 - 13.87) / 2)
    assert calc.needed_per_month(40, 34.8, 10) == 0
    assert calc.needed_per_month(13.87, 34.8, 12) is None


@pytest.mark.parametrize("actual, budget", [(None, 10), (5, None), (5, 0), (5, -1)])
def test_no_rate_without_a_positive_budget(actual, budget):
    assert calc.execution_rate(actual, budget) is None
    assert calc.schedule_gap(actual, budget, 6) is None


@given(amounts, amounts, months)
def test_rate_identities(actual, budget, month):
    rate = calc.execution_rate(actual, budget)
    assert rate * budget == pytest.approx(actual)
    # behind schedule ⇔ negative gap ⇔ a positive amount behind
    gap = calc.schedule_gap(actual, budget, month)
    behind = calc.behind_schedule(actual, budget, month)
    assert gap == pytest.approx(rate - month / 12)
    assert behind == pytest.approx(-gap * budget, abs=1e-9 * max(1, budget))
    # what remains, spread over the months left, completes the budget
    per_month = calc.needed_per_month(actual, budget, month)
    if month < 12:
        assert actual + per_month * (12 - month) == pytest.approx(max(actual, budget))


@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=10))
def test_whole_city_rate_is_the_budget_weighted_mean(units):
    actual, budget, rate = calc.combined(units)
    assert actual == pytest.approx(sum(a for a, _ in units))
    assert budget == pytest.approx(sum(b for _, b in units))
    weighted = sum(calc.execution_rate(a, b) * b for a, b in units) / budget
    assert rate == pytest.approx(weighted)
    rates = [calc.execution_rate(a, b) for a, b in units]
    assert min(rates) - 1e-9 <= rate <= max(rates) + 1e-9


def test_combined_ignores_missing_values():
    assert calc.combined([(1.0, 2.0), (None, 2.0), (1.0, None)]) == (2.0, 4.0, 0.5)


def test_projections():
    assert calc.project_full_year(4, 10, 8, "actual") == 4
    assert calc.project_full_year(4, 10, 8, "pace") == 6
    assert calc.project_full_year(4, 10, 8, "budget") == 10
    assert calc.project_full_year(12, 10, 8, "budget") == 12  # already over budget
    with pytest.raises(ValueError, match="推算方法"):
        calc.project_full_year(4, 10, 8, "guess")


def test_gap_formula_by_hand():
    inputs = calc.GapInputs(revenue_actual=4.3, revenue_budget=4.3, land_actual=0.93, land_budget=6.2, month=10,
                            transfers=23.7, carryover=1.1, remittance=0.4, land_share=0.6, rigid_need=36.0,
                            revenue_projection="budget", land_projection="pace")
    result = calc.fiscal_gap(inputs)
    land = 0.93 * 12 / 10
    assert result.land == pytest.approx(land)
    assert result.land_counted == pytest.approx(land * 0.6)
    assert result.available == pytest.approx(4.3 + 23.7 + 1.1 - 0.4 + land * 0.6)
    assert result.gap == pytest.approx(36.0 - result.available)
    # had the land budget been met, the gap would be smaller by the land shortfall × share
    met = calc.fiscal_gap(calc.GapInputs(**{**inputs.__dict__, "land_projection": "budget"}))
    assert result.gap - met.gap == pytest.approx((6.2 - land) * 0.6)


def test_total_gap_does_not_net_surpluses():
    assert calc.total_gap([6.5, -2.0, 1.5]) == 8.0
    assert calc.total_gap([]) == 0


def test_spending_rate():
    assert calc.spending_rate(5400, 20000) == pytest.approx(0.27)
    assert calc.spending_rate(0, 0) is None
