"""diaodu precompute [--period YYYY-MM]: fill the result cache the dispatch room's pages read."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diaodu.dashboard import pages
from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators.releases import latest_released_period


def precompute(period: Period, counties: bool = False) -> int:
    """The engine results the pages show for ``period`` (the indicator pages of the home city;
    with ``counties`` also of every county); returns the number of results read."""
    count = 0
    inds = pages.all_indicators()
    regions = [settings.DIAODU_HOME_REGION, *(c["code"] for c in pages.counties() if counties)]
    with compute.snapshot():
        data_periods = {str(p): p for p in (pages.data_period(i, period) for i in inds) if p is not None}
        for level in compute.LEVELS:
            for p in data_periods.values():
                compute.ranks(p, level)
                count += 1
            compute.forecasts(period, level)
            compute.gaps(period, level)
            compute.evaluation(period, level=level)
            count += 3
        compute.contributions(period)
        count += 1
        for ind in pages.main_indicators():
            for region in regions:
                compute.series(period, region, ind["code"])
                compute.simulation(period, region, ind["code"])
                count += 2
    return count


class Command(BaseCommand):
    help = "预先计算调度室页面所需的排名、预计、目标差距、评价等结果（按已发布数据缓存）"

    def add_arguments(self, parser):
        parser.add_argument("--period", help="期别 YYYY-MM，默认最新已发布期")
        parser.add_argument("--counties", action="store_true", help="同时预计算各县区的指标页（较慢）")

    def handle(self, *args, **opts):
        if opts.get("period"):
            try:
                period = Period.parse(opts["period"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
        else:
            period = latest_released_period()
            if period is None:
                self.stdout.write("没有已发布的数据，无需预计算。")
                return
        started = time.monotonic()
        count = precompute(period, counties=opts.get("counties", False))
        self.stdout.write(f"已预计算 {period.full_label()} 的 {count} 项结果，用时 {time.monotonic() - started:.1f} 秒。")
