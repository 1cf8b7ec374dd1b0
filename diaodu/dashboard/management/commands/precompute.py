"""diaodu precompute [--period YYYY-MM]: fill the result cache the dispatch room's pages read."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from diaodu.dashboard import pages
from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators.releases import latest_released_period
from diaodu.org.home import home_code


def precompute(period: Period, counties: bool = False, skipped: list[str] | None = None) -> int:
    """The engine results the pages show for ``period`` (the indicator pages of the home city;
    with ``counties`` also of every county); returns the number of results read. Results the data
    cannot give yet (暂无数据: an indicator without figures, a level without peers) are listed in
    ``skipped`` instead."""
    count = 0
    skipped = [] if skipped is None else skipped
    names = {c["code"]: c["name"] for c in pages.counties()}
    names[home_code()] = pages.home().name
    inds = pages.all_indicators()
    regions = [home_code(), *(c["code"] for c in pages.counties() if counties)]

    def step(label: str, run) -> None:
        nonlocal count
        try:
            result = run()
        except ValueError as exc:  # the engine's own message for data it cannot use
            skipped.append(f"{label}（{exc}）")
            return
        if result in ([], None) or (isinstance(result, dict) and result.get("summary") == []):
            skipped.append(f"{label}（暂无数据）")
        count += 1

    with compute.snapshot():
        data_periods = {str(p): p for p in (pages.data_period(i, period) for i in inds) if p is not None}
        for level in compute.LEVELS:
            label = "市州" if level == "city" else "县区"
            for p in data_periods.values():
                step(f"{label}排名 {p}", lambda p=p, level=level: compute.ranks(p, level))
            step(f"{label}全年预计", lambda level=level: compute.forecasts(period, level))
            step(f"{label}目标差距", lambda level=level: compute.gaps(period, level))
            step(f"{label}评价", lambda level=level: compute.evaluation(period, level=level))
        step("拉动分析", lambda: compute.contributions(period))
        for ind in pages.main_indicators():
            for region in regions:
                where = f"{names.get(region, region)}·{ind['name']}"
                step(f"{where}走势", lambda r=region, i=ind: compute.series(period, r, i["code"]))
                step(f"{where}争先进位测算", lambda r=region, i=ind: compute.simulation(period, r, i["code"]))
    return count


class Command(BaseCommand):
    help = "预先计算调度室页面所需的排名、预计、目标差距、评价等结果（按已发布数据缓存）"

    def add_arguments(self, parser):
        parser.add_argument("--period", help="期别 YYYY-MM，默认最新已发布期")
        parser.add_argument("--counties", action="store_true", help="同时预计算各县区的指标页（较慢）")

    def handle(self, *args, **opts):
        if pages.home_region_or_none() is None:
            self.stdout.write("尚未设置本市（diaodu setup-city 代码），无需预计算。")
            return
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
        skipped: list[str] = []
        count = precompute(period, counties=opts.get("counties", False), skipped=skipped)
        self.stdout.write(f"已预计算 {period.full_label()} 的 {count} 项结果，用时 {time.monotonic() - started:.1f} 秒。")
        if skipped:
            self.stdout.write(f"其中 {len(skipped)} 项暂无数据（页面显示“暂无数据”）：")
            for line in skipped[:40]:
                self.stdout.write(f"  {line}")
            if len(skipped) > 40:
                self.stdout.write(f"  … 另有 {len(skipped) - 40} 项")
