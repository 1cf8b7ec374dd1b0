"""The 规上 threshold and 升规 candidates (pure)."""

from __future__ import annotations

import pytest

from diaodu.enterprises.rules import (
    CANDIDATE_BAND,
    SCALE_THRESHOLD,
    annual_revenue,
    is_above_threshold,
    upgrade_candidate,
)


def test_threshold_is_inclusive():
    assert SCALE_THRESHOLD == 2000
    assert is_above_threshold(2000) and not is_above_threshold(1999.99) and not is_above_threshold(None)


@pytest.mark.parametrize("revenue, gap, reached", [
    (1500, 500, False),  # the band's floor is in
    (1880, 120, False),  # 暖山农业's order of magnitude
    (1999.5, 0.5, False),
    (2000, 0, True),  # 达标未入规
    (2600, 0, True),
])
def test_candidates_and_gap(revenue, gap, reached):
    candidate = upgrade_candidate(revenue, above_scale=False)
    assert candidate is not None
    assert candidate.gap == pytest.approx(gap)
    assert candidate.reached is reached
    assert candidate.share == pytest.approx(revenue / 2000)
    assert candidate.label == ("已达标待入规" if reached else "接近入规标准")


@pytest.mark.parametrize("revenue, above", [(1499.99, False), (0, False), (None, False), (1900, True),
                                            (5000, True)])
def test_not_candidates(revenue, above):
    assert upgrade_candidate(revenue, above_scale=above) is None


def test_band_is_configurable():
    assert upgrade_candidate(1200, above_scale=False) is None
    assert upgrade_candidate(1200, above_scale=False, band=0.5).gap == 800
    assert CANDIDATE_BAND * SCALE_THRESHOLD == 1500
    with pytest.raises(ValueError):
        upgrade_candidate(1900, above_scale=False, band=1.5)


def test_annual_revenue_uses_the_last_twelve_months_when_complete():
    monthly = {(2020, m): 100.0 for m in range(1, 13)} | {(2021, m): 200.0 for m in range(1, 11)}
    assert annual_revenue(monthly, (2021, 10)) == (2 * 100 + 10 * 200, 12)


def test_annual_revenue_scales_the_year_to_date_otherwise():
    monthly = {(2021, m): 150.0 for m in range(1, 11)}
    assert annual_revenue(monthly, (2021, 10)) == (1800.0, 10)
    # a missing month is absent, not zero
    del monthly[(2021, 5)]
    assert annual_revenue(monthly, (2021, 10)) == (1800.0, 9)
    assert annual_revenue({}, (2021, 10)) == (0.0, 0)
    # months after as_of are not used
    assert annual_revenue({(2021, 11): 999.0, (2021, 1): 100.0}, (2021, 1)) == (1200.0, 1)
