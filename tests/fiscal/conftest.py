"""A slice of the demo figures (陇南 and its counties, fiscal lines, 2020-2021) and
the demo users: enough for the fiscal demo ledger, in a fraction of the full demo."""

from __future__ import annotations

import functools

import pytest

from diaodu.demo import loader
from diaodu.indicators import actions

FISCAL_INDICATORS = ("revenue_broad", "revenue_general", "revenue_tax", "expenditure_general", "land_revenue")


@functools.lru_cache(maxsize=1)
def _demo_slice():
    from diaodu.demo.figures import generate

    data = generate()
    obs = data.observations
    obs = obs[obs.region.str.startswith("6212") & obs.indicator.isin(FISCAL_INDICATORS)
              & (((obs.year == 2020) & (obs.month == 12)) | ((obs.year == 2021) & (obs.month >= 6)))]
    targets = data.targets[data.targets.region.str.startswith("6212")
                           & data.targets.indicator.isin(FISCAL_INDICATORS)]
    return obs, targets


@pytest.fixture
def demo_slice(db):
    """Loads the slice through the figures write path; returns the demo users."""
    obs, targets = _demo_slice()
    users = loader.create_users()
    clerk = users["tongji"]
    actions.submit_figures(clerk, [
        actions.FigureInput(r.region, r.indicator, int(r.year), int(r.month), loader._none(r.value),
                            loader._none(r.growth), "")
        for r in obs.itertuples(index=False) if loader._none(r.value) is not None or loader._none(r.growth) is not None
    ], publish=True, source="demo", reason="演示数据", official_release=True)
    actions.set_targets(clerk, [
        actions.TargetInput(t.region, t.indicator, int(t.year), loader._none(t.total), loader._none(t.growth),
                            t.source, "演示数据") for t in targets.itertuples(index=False)
    ], source="demo", reason="演示数据")
    return users
