"""The engine's results for one period, as the writers read them (nothing here computes a figure).

:class:`PeriodData` picks rows out of ``diaodu.evaluation.compute`` results and hands each with
the :class:`~diaodu.briefings.facts.Src` that fetches it again. Quarterly indicators (GDP, income)
are read at their latest quarter not after the period, as the statistics office publishes them.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings

from diaodu.engine._base import latest_published_month
from diaodu.engine.periods import QUARTER_NAMES, Period
from diaodu.evaluation import compute
from diaodu.indicators.models import Indicator
from diaodu.org.models import Region

from .facts import Src

# The main indicators in the order the speech names them.
SPEECH_ORDER = ("gdp", "industry_va", "fai", "retail", "revenue_broad", "revenue_general", "income_urban", "income_rural")
GREEN, YELLOW, RED = "green", "yellow", "red"
PACE_TEXT = {GREEN: "达到序时进度（目标）", YELLOW: "略低于序时进度（目标）", RED: "落后序时进度（目标）"}


def period_words(period: Period) -> str:
    """一季度/上半年/前三季度/全年 at a quarter end, else 1-n月."""
    if period.month in QUARTER_NAMES:
        return QUARTER_NAMES[period.month]
    return period.label()


class PeriodData:
    """Rows of the engine's results for ``period`` (home city, its counties, the province's cities)."""

    def __init__(self, period: Period | str):
        self.period = Period.parse(str(period))
        self.home = compute.home_region()
        self.indicators = {i["code"]: i for i in Indicator.objects.order_by("order", "code").values(
            "code", "name", "short_name", "unit", "frequency", "kind", "first_month", "is_main", "polarity")}
        main = [c for c in SPEECH_ORDER if c in self.indicators and self.indicators[c]["is_main"]]
        main += [c for c, i in self.indicators.items() if i["is_main"] and c not in main]
        self.main = main
        self.counties = list(Region.objects.filter(parent_id=self.home.code, level=Region.Level.COUNTY)
                             .order_by("code").values("code", "name", "short_name"))
        self._ranks: dict = {}

    # --- periods ---------------------------------------------------------------------------

    def data_period(self, code: str) -> Period | None:
        ind = self.indicators[code]
        month = latest_published_month(self.period.month, ind["frequency"], int(ind["first_month"]))
        return Period(self.period.year, month) if month else None

    def words(self, code: str | None = None) -> str:
        """前三季度 / 1-10月 for an indicator's data period (the document's period without one)."""
        if code is None:
            return period_words(self.period)
        p = self.data_period(code)
        return period_words(p) if p else ""

    # --- ranks -----------------------------------------------------------------------------

    def _rank_rows(self, period: Period, level: str) -> dict:
        key = (str(period), level)
        if key not in self._ranks:
            rows = compute.ranks(period, level)
            self._ranks[key] = {(r["region_code"], r["indicator"]): r for r in rows}
        return self._ranks[key]

    def rank(self, code: str, region: str | None = None, level: str = "city") -> tuple[dict, callable]:
        """(row, src) of ``compute.ranks`` for one unit and indicator at its data period."""
        region = region or self.home.code
        p = self.data_period(code)
        if p is None:
            return {}, _nosrc
        row = self._rank_rows(p, level).get((region, code), {})
        args = {"period": str(p), "level": level}
        return row, lambda f: Src("ranks", args, {"region_code": region, "indicator": code}, f)

    def county_ranks(self, code: str) -> list[tuple[dict, callable]]:
        return [self.rank(code, c["code"], "county") for c in self.counties]

    # --- gaps, forecasts, evaluation, contributions, overtakes -------------------------------

    @cached_property
    def _gaps(self) -> dict:
        out = {}
        for level in ("city", "county"):
            for r in compute.gaps(self.period, level):
                out[(level, r["region_code"], r["indicator"])] = r
        return out

    def gap(self, code: str, region: str | None = None, level: str = "city") -> tuple[dict, callable]:
        region = region or self.home.code
        row = self._gaps.get((level, region, code), {})
        args = {"period": str(self.period), "level": level}
        return row, lambda f: Src("gaps", args, {"region_code": region, "indicator": code}, f)

    @cached_property
    def _forecasts(self) -> dict:
        return {(r["region_code"], r["indicator"], r["measure"]): r for r in compute.forecasts(self.period, "city")}

    def forecast(self, code: str, region: str | None = None, measure: str = "growth") -> tuple[dict, callable]:
        region = region or self.home.code
        row = self._forecasts.get((region, code, measure), {})
        args = {"period": str(self.period), "level": "city"}
        return row, lambda f: Src("forecasts", args, {"region_code": region, "indicator": code, "measure": measure}, f)

    def evaluation(self, level: str = "city") -> dict:
        return compute.evaluation(self.period, level=level)

    def score(self, region: str | None = None, level: str = "city") -> tuple[dict, callable]:
        region = region or self.home.code
        ev = self.evaluation(level)
        row = next((r for r in ev["summary"] if r["region_code"] == region), {})
        # A unit without a single published figure has no score to report (not 0.00, 第1位).
        if row and not any(self.rank(code, region, level)[0].get(measure) is not None
                           for code in self.main for measure in ("growth", "value")):
            row = {}
        args = {"period": str(self.period), "level": level}
        return row, lambda f: Src("evaluation", args, {"region_code": region}, f, path="summary")

    def item(self, item: str, region: str | None = None, level: str = "city") -> tuple[dict, callable]:
        region = region or self.home.code
        row = next((r for r in self.evaluation(level)["items"] if r["region_code"] == region and r["item"] == item), {})
        args = {"period": str(self.period), "level": level}
        return row, lambda f: Src("evaluation", args, {"region_code": region, "item": item}, f, path="items")

    def contribution(self, part: str) -> tuple[dict, callable]:
        p = self.data_period("gdp") if "gdp" in self.indicators else self.period
        if p is None:
            return {}, _nosrc
        rows = compute.contributions(p)
        row = next((r for r in rows if r["part_indicator"] == part), {})
        return row, lambda f: Src("contributions", {"period": str(p)}, {"part_indicator": part}, f)

    def overtaken(self, code: str = "gdp") -> list[tuple[dict, callable]]:
        rows = compute.overtakes(self.period, code)
        args = {"period": str(self.period), "indicator": code}
        return [(r, (lambda peer: lambda f: Src("overtakes", args, {"peer_code": peer}, f))(r["peer_code"]))
                for r in rows]

    def last_year_growth(self, code: str) -> tuple[dict, callable]:
        """Last year's full-year growth of the home city (``compute.series``)."""
        s = compute.series(self.period, self.home.code, code)
        row = next((r for r in s["last_year"] if r["month"] == 12), {})
        args = {"period": str(self.period), "region": self.home.code, "indicator": code}
        return row, lambda f: Src("series", args, {"month": 12}, f, path="last_year")

    # --- colours -----------------------------------------------------------------------------

    def pace(self, code: str, region: str, level: str) -> str:
        """green/yellow/red by completion against 序时进度 (target total) or growth against the
        target growth, with the thresholds the dispatch room uses (settings)."""
        row, _ = self.gap(code, region, level)
        if row.get("schedule_gap") is not None:
            points = row["schedule_gap"]
            green, yellow = settings.DIAODU_PACE_GREEN_POINTS, settings.DIAODU_PACE_YELLOW_POINTS
        elif row.get("growth_gap") is not None:
            points = row["growth_gap"]
            green, yellow = 0, settings.DIAODU_GROWTH_YELLOW_POINTS
        else:
            return ""
        return GREEN if points >= green else YELLOW if points >= green - yellow else RED


def _nosrc(field: str) -> Src:
    return Src("none", {}, {}, field)
