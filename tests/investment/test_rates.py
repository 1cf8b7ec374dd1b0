"""招商引资 rates with a county that has only 在谈 deals (no signed ones: no rate, no rank)."""

from diaodu.investment import rates


def test_no_signed_deals_has_no_rates():
    r = rates.pipeline_rates([rates.DealFacts(False, False, False, 5, 0)])
    assert (r.start_rate, r.funds_rate, r.performance_rate) == (None, None, None)
    assert rates.rank({"621202": r.funds_rate, "621224": 0.5}) == {"621202": None, "621224": 1}
