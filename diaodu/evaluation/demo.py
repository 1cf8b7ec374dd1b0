"""Demo 人工评分: the county scheme's hand-scored items for every county at the demo's last period,
entered by the city's admin (scores are set from above), and a few counts of its penalty clauses.
Deterministic (from the county and item codes) and labelled 演示数据."""

from __future__ import annotations

import hashlib

from diaodu.core import write_path
from diaodu.evaluation.models import ManualScore, manual_items
from diaodu.org.models import Region

SCHEME = "county_keywork_2021"
YEAR, MONTH = 2021, 10
REASON = "演示数据"


def _share(*parts: str) -> float:
    """A stable number in [0, 1) from the parts."""
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16) / 0x100000000


def load_demo(users) -> dict:
    scores = []
    for county in Region.objects.home_counties():
        for code, (_name, ceiling) in manual_items(SCHEME).items():
            share = _share(county.code, code)
            if ceiling is not None:  # points: between 60% and 100% of the weight, in halves
                value = round(ceiling * (0.6 + 0.4 * share) * 2) / 2
            elif share < 0.7:  # a clause applies to a few counties only
                continue
            else:
                value = float(1 + int(share * 10) % 2)
            scores.append(ManualScore(scheme=SCHEME, item=code, region=county, year=YEAR, month=MONTH,
                                      value=value, note=REASON))
    write_path.bulk_create_records(users["admin"], scores, reason=REASON, source="demo")
    return {"manual_scores": len(scores)}
