"""What the dispatch room's pages show, shaped from the engine's results (``compute``).

Nothing here computes a figure: every number comes from a row of ``diaodu.evaluation.compute``
and keeps a pointer to it (``src``), which the "where does this come from" drawer resolves
back into that row's ``sources`` and ``rule``. This module only picks rows, formats them and
decides colours by the configured thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from diaodu.core import numbers
from diaodu.engine import rank_change_text
from diaodu.engine._base import latest_published_month
from diaodu.engine.forecast import track_record_text
from diaodu.engine.periods import QUARTERLY, Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators import releases
from diaodu.indicators.models import Indicator, Observation
from diaodu.org.home import home_code
from diaodu.org.models import Region

DASH = "—"
STATUS_TEXT = {"green": "达到序时进度", "yellow": "略低于序时进度", "red": "落后序时进度"}
SEASONAL_STATUS_TEXT = {"green": "达到上年同期进度", "yellow": "略低于上年同期进度", "red": "落后上年同期进度"}
GROWTH_STATUS_TEXT = {"green": "达到目标增速", "yellow": "略低于目标增速", "red": "低于目标增速"}


# --- periods, regions, indicators ------------------------------------------

def parse_period(text: str | None) -> Period | None:
    if text:
        try:
            return Period.parse(text)
        except PeriodError:
            return None
    return None


def published_periods(limit: int = 36) -> list[dict]:
    """The periods a reader may choose: every period with a published figure, those not
    released labelled 初步数据（未发布）."""
    rows = (Observation.objects.filter(published_revision__isnull=False)
            .values_list("year", "month").distinct().order_by("-year", "-month")[:limit])
    released = releases.released_periods()
    out = []
    for y, m in rows:
        p = Period(y, m)
        label = p.full_label() if p in released else f"{p.full_label()} {releases.PRELIMINARY_LABEL}"
        out.append({"value": str(p), "label": label, "released": p in released})
    return out


def main_indicators() -> list[dict]:
    return list(Indicator.objects.filter(is_main=True).order_by("order", "code").values(
        "code", "name", "short_name", "unit", "frequency", "kind", "first_month"))


def all_indicators() -> list[dict]:
    return list(Indicator.objects.order_by("order", "code").values(
        "code", "name", "short_name", "unit", "frequency", "kind", "first_month", "is_main"))


def home() -> Region:
    return compute.home_region()


def home_region_or_none() -> Region | None:
    return Region.objects.home()


def counties() -> list[dict]:
    return list(Region.objects.home_counties().values("code", "name", "short_name"))


def cities() -> list[dict]:
    home_region = home()
    return list(Region.objects.filter(parent_id=home_region.parent_id, level=Region.Level.CITY)
                .order_by("code").values("code", "name", "short_name"))


def data_period(indicator: dict, period: Period) -> Period | None:
    """The period an indicator shows at ``period``: quarterly ones at their latest quarter."""
    month = latest_published_month(period.month, indicator["frequency"], int(indicator["first_month"]))
    return Period(period.year, month) if month else None


def period_label(indicator: dict, p: Period | None) -> str:
    return p.label(indicator["frequency"]) if p else DASH


# --- numbers -----------------------------------------------------------------

def fmt(value, digits: int | None = 1, suffix: str = "", *, unit: str | None = None) -> str:
    """A number as pages (and documents) print it: :func:`diaodu.core.numbers.text`, half up, with
    ``digits`` decimals or, when ``digits`` is None, its ``unit``'s (亿元 2, 元 and 万元 0 with …)."""
    if value is None:
        return DASH
    return numbers.text(value, digits, unit=unit) + suffix


def src(kind: str, period: Period | str, **params) -> str:
    """The drawer URL of a number: which compute row it is."""
    query = {"kind": kind, "period": str(period), **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('dashboard:source')}?{urlencode(query)}"


@dataclass
class Num:
    """A number on a page: its text, the drawer link to its source, a colour class."""

    text: str
    src: str = ""
    cls: str = ""
    title: str = ""
    raw: float | None = None
    extra: dict = field(default_factory=dict)


def change_text(change) -> str:
    return rank_change_text(change)


def change_cls(change) -> str:
    if change is None:
        return "muted"
    return "up" if change > 0 else "down" if change < 0 else "flat"


def pace_status(gap_row: dict | None) -> tuple[str, str, float | None]:
    """(colour, basis, points) by DIAODU_STATUS_BASIS (README, 配置). ``auto``: a growth target is
    judged on the cumulative growth against it; a total target on completion against 按上年进度
    (last year's share at this month) where last year's profile exists, else against 序时进度.
    ``linear``: 序时进度 first; ``seasonal``: 按上年进度 first. Thresholds are settings too."""
    if not gap_row:
        return "", "", None
    choice = settings.DIAODU_STATUS_BASIS
    growth = ("growth", gap_row.get("growth_gap") if gap_row.get("target_growth") is not None else None)
    seasonal = ("seasonal", gap_row.get("seasonal_gap"))
    linear = ("pace", gap_row.get("schedule_gap"))
    order = {"auto": (growth, seasonal, linear), "linear": (linear, growth),
             "seasonal": (seasonal, linear, growth)}.get(choice, (growth, seasonal, linear))
    basis, points = next(((b, p) for b, p in order if p is not None), ("", None))
    if points is None:
        return "", "", None
    if basis == "growth":
        green, yellow = 0, settings.DIAODU_GROWTH_YELLOW_POINTS
    else:
        green, yellow = settings.DIAODU_PACE_GREEN_POINTS, settings.DIAODU_PACE_YELLOW_POINTS
    colour = "green" if points >= green else "yellow" if points >= green - yellow else "red"
    return colour, basis, points


def status_text(colour: str, basis: str, gap_row: dict | None) -> str:
    """The status badge's words. Grey says why: no target (there is a gap row for every target),
    a target but no figure of the period yet (a county that has not reported), or a target and a
    figure that cannot be compared (the drawer gives the engine's reason)."""
    if colour:
        return {"growth": GROWTH_STATUS_TEXT, "seasonal": SEASONAL_STATUS_TEXT}.get(basis, STATUS_TEXT)[colour]
    if not gap_row:
        return "无目标"
    if gap_row.get("value") is None and gap_row.get("growth") is None:
        return "本期无数据"
    return "无法判断"


# --- coverage of ranks ----------------------------------------------------------

LEVEL_WORDS = {"city": ("全省", "市州"), "county": ("全市", "县区")}


def rank_num(row: dict | None, measure: str, rsrc: str, level: str) -> Num:
    """A rank cell: the position when enough peers reported (its coverage in the title), else
    数据不全 (and 已报 n/N in the title); never a position among too few."""
    if not row:
        return Num(DASH, rsrc)
    cov = compute.coverage_of(row, measure)
    unit = LEVEL_WORDS[level][1]
    if cov.reported == 0:  # nobody has this measure (规上工业增加值 publishes no total): nothing to rank
        return Num(DASH, rsrc)
    if not cov.sufficient:
        return Num("数据不全", rsrc, "incomplete", cov.incomplete_text(), None)
    rank = row[f"rank_{measure}"]
    return Num(fmt(rank, 0) if rank is not None else "缺数", rsrc, title=cov.text(unit), raw=rank)


def coverage_text(row: dict | None, measure: str, level: str) -> str:
    """``14个市州均已报送`` / ``已报 9/14`` / ``数据不全（已报 1/14）`` for a rank row."""
    cov = compute.coverage_of(row, measure)
    if cov is None:
        return ""
    return cov.text(LEVEL_WORDS[level][1]) if cov.sufficient else cov.incomplete_text()


def position_text(row: dict | None, measure: str | None, level: str) -> str:
    """``全省第3位（14个市州均已报送）`` / ``数据不全（已报 1/14）`` for a rank or evaluation row."""
    cov = compute.coverage_of(row, measure)
    if cov is None or cov.reported == 0:
        return DASH
    scope, unit = LEVEL_WORDS[level]
    rank = row.get("rank" if measure is None else f"rank_{measure}")
    return cov.position(rank, scope, unit)


# --- indexes over the engine's rows -------------------------------------------

class Ranks:
    """``compute.ranks`` rows of one level, at each indicator's own data period."""

    def __init__(self, period: Period, level: str, indicators: list[dict]):
        self.level = level
        self.rows: dict[tuple[str, str], dict] = {}
        self.periods: dict[str, Period | None] = {}
        needed: dict[str, Period] = {}
        for ind in indicators:
            p = data_period(ind, period)
            self.periods[ind["code"]] = p
            if p is not None:
                needed[str(p)] = p
        for p in needed.values():
            for row in compute.ranks(p, level):
                self.rows[(row["indicator"], row["region_code"])] = row

    def get(self, indicator: str, region: str) -> dict | None:
        return self.rows.get((indicator, region))

    def peers(self, indicator: str) -> list[dict]:
        return [r for (i, _), r in self.rows.items() if i == indicator]

    def src(self, indicator: str, region: str) -> str:
        p = self.periods.get(indicator)
        return src("rank", p, level=self.level, indicator=indicator, region=region) if p else ""


def index_rows(rows: list[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r for r in rows}


# --- page contexts -------------------------------------------------------------

def indicator_cells(ind: dict, region: str, ranks: Ranks, gap_rows: dict, period: Period, level: str) -> dict:
    """The cells of one region × indicator: growth (coloured by pace), value, ranks."""
    code = ind["code"]
    row = ranks.get(code, region)
    gap_row = gap_rows.get((code, region))
    colour, basis, points = pace_status(gap_row)
    rsrc = ranks.src(code, region)
    growth = row["growth"] if row else (gap_row or {}).get("growth")
    value = row["value"] if row else None
    return {
        "indicator": ind,
        "label": period_label(ind, ranks.periods.get(code)),
        "value": Num(fmt(value, None, unit=ind["unit"]), rsrc, raw=value),
        "growth": Num(fmt(growth, 1), rsrc, f"pace-{colour}" if colour else "", status_text(colour, basis, gap_row), growth),
        "rank_growth": rank_num(row, "growth", rsrc, level),
        "rank_growth_change": change_text(row["rank_change"]) if row else "",
        "rank_growth_change_cls": change_cls(row["rank_change"]) if row else "muted",
        "rank_total": rank_num(row, "total", rsrc, level),
        "rank_total_change": change_text(row["rank_total_change"]) if row else "",
        "rank_total_change_cls": change_cls(row["rank_total_change"]) if row else "muted",
        "peer_count": row["peer_count"] if row else None,
        "coverage": coverage_text(row, "growth", level),
        "position": position_text(row, "growth", level),
        "colour": colour,
        "status": status_text(colour, basis, gap_row),
        "gap": gap_row,
        "gap_src": src("gap", period, level=level, indicator=code, region=region) if gap_row else "",
        "points": points,
    }


def overview(period: Period) -> dict:
    """总览: the speech's first section as a live page."""
    home_region = home()
    code = home_region.code
    inds = main_indicators()
    ranks = Ranks(period, "city", inds)
    gaps_city = index_rows(compute.gaps(period, "city"), "indicator", "region_code")
    forecasts_city = index_rows(compute.forecasts(period, "city"), "indicator", "region_code", "measure")
    rows = []
    for ind in inds:
        cells = indicator_cells(ind, code, ranks, gaps_city, period, "city")
        g = cells["gap"] or {}
        f = forecasts_city.get((ind["code"], code, "growth"))
        fsrc = src("forecast", period, level="city", indicator=ind["code"], region=code, measure="growth")
        gsrc = cells["gap_src"]
        target_parts = []
        if g.get("target_total") is not None:
            target_parts.append(f"{fmt(g['target_total'], None, unit=ind['unit'])}{ind['unit']}")
        if g.get("target_growth") is not None:
            target_parts.append(f"增长{fmt(g['target_growth'], 1)}%")
        cells.update({
            "target": Num("，".join(target_parts) or DASH, gsrc),
            "completion": Num(fmt(g.get("completion"), 1, "%") if g.get("completion") is not None else DASH, gsrc,
                              f"pace-{cells['colour']}" if cells["colour"] else "", cells["status"], g.get("completion")),
            "schedule": Num(fmt(g.get("schedule"), 1, "%") if g.get("schedule") is not None else DASH, gsrc),
            "forecast": Num(f"{fmt(f['low'], 1)}～{fmt(f['high'], 1)}%" if f and f.get("low") is not None else DASH, fsrc,
                            title=f"预计 {fmt(f['point'], 1)}%；{track_record_text(f)}" if f else "",
                            raw=f["point"] if f else None,
                            extra={"low": f["low"] if f else None, "high": f["high"] if f else None}),
            "forecast_method": f.get("method_label", "") if f else "",
            "forecast_record": track_record_text(f) if f else "",
            "need": still_needed(g, ind, period) if g else None,
        })
        rows.append(cells)

    evaluation = compute.evaluation(period, level="city")
    ev = next((r for r in evaluation["summary"] if r["region_code"] == code), None)
    # Without any published city figure a score of 0.00 and a rank would be made up: 暂无数据.
    has_figures = any(row["region_code"] == code and (row["growth"] is not None or row["value"] is not None)
                      for ind in inds for row in ranks.peers(ind["code"]))
    ev = ev if has_figures else None
    ev_src = src("evaluation", period, level="city", region=code)
    cov = compute.coverage_of(ev, None)
    score = {
        "score": Num(fmt(ev["score"], 2) if ev else DASH, ev_src, raw=ev["score"] if ev else None),
        "rank": Num(fmt(ev["rank"], 0) if ev and ev["rank"] is not None else DASH, ev_src,
                    raw=ev["rank"] if ev else None),
        "change": change_text(ev["rank_change"]) if ev else "",
        "change_cls": change_cls(ev["rank_change"]) if ev else "",
        "peer_count": len(evaluation["summary"]),
        "sufficient": bool(cov and cov.sufficient),
        "coverage": (cov.text("市州") if cov.sufficient else cov.incomplete_text()) if cov else "",
        "missing_items": ev["missing_items"] if ev else [],
        "scheme": evaluation["scheme"],
        "missing": not has_figures,
    }

    weak = weak_items(period, code, ranks, gaps_city)
    contribution = []
    for r in compute.contributions(period, code):
        csrc = src("contribution", period, region=code, indicator=r["part_indicator"])
        contribution.append({
            "name": r["part_name"], "indicator": r["part_indicator"], "period": r["period"],
            "label": Period.parse(r["period"]).label(QUARTERLY),
            "contribution": Num(fmt(r["contribution"], 1, "%"), csrc, raw=r["contribution"]),
            "pull": Num(fmt(r["pull"], 2), csrc, raw=r["pull"]),
            "growth": Num(fmt(r["growth"], 1, "%"), csrc, raw=r["growth"]),
        })
    secondary = next((c for c in contribution if c["indicator"] == "gdp_secondary"), None)

    return {
        "home": home_region, "rows": rows, "score": score, "weak": weak,
        "contribution": contribution, "secondary": secondary,
        "county_table": county_table(period, inds),
        "forecast_records": "；".join(f"{r['indicator']['name']}——{r['forecast_record']}"
                                     for r in rows if r["forecast_record"]),
    }


def weak_items(period: Period, region: str, ranks: Ranks, gap_rows: dict) -> list[dict]:
    """短板弱项: 倒数 positions among the province's cities (every ranked indicator) and
    indicators behind schedule (red)."""
    bottom = settings.DIAODU_WEAK_BOTTOM
    out = []
    everything = Ranks(period, ranks.level, all_indicators())
    for ind in all_indicators():
        row = everything.get(ind["code"], region)
        if not row:
            continue
        for measure, word in (("growth", "增速"), ("total", "总量")):
            b = row.get(f"bottom_{measure}")
            if b is not None and b <= bottom and row.get(f"rank_{measure}") not in (None, 1):
                out.append({"text": f"{ind['name']}{word}居全省倒数第{b}位",
                            "num": Num(f"第{row[f'rank_{measure}']}位", everything.src(ind["code"], region)),
                            "kind": "rank", "sort": (0, b)})
    for ind in main_indicators():
        g = gap_rows.get((ind["code"], region))
        colour, basis, points = pace_status(g)
        if colour == "red":
            if basis in ("pace", "seasonal"):
                word = "序时进度" if basis == "pace" else "上年同期进度"
                text = (f"{ind['name']}完成年度目标{fmt(g['completion'], 1)}%，"
                        f"低于{word}{fmt(-points, 1)}个百分点")
            else:
                text = f"{ind['name']}增速{fmt(g['growth'], 1)}%，低于目标{fmt(-points, 1)}个百分点"
            out.append({"text": text, "num": Num(fmt(points, 1), src("gap", period, level="city",
                                                                      indicator=ind["code"], region=region)),
                        "kind": "gap", "sort": (1, points)})
    for ind in main_indicators():  # 被X超越: peers that had been behind in earlier years and are ahead now
        p = data_period(ind, period)
        if p is None:
            continue
        for o in compute.overtakes(p, ind["code"], region):
            if o["years_behind"] >= 1:
                since = f"近{o['years_behind']}年来首次" if o["first_time"] else "今年"
                text = (f"{ind['name']}总量{since}被{o['peer_name']}超越"
                        f"（{fmt(o['peer_value'], None, unit=ind['unit'])}对{fmt(o['own_value'], None, unit=ind['unit'])}"
                        f"{ind['unit']}）")
                out.append({"text": text, "num": Num(f"差{fmt(o['margin'], None, unit=ind['unit'])}", src(
                    "overtake", p, indicator=ind["code"], region=region, peer=o["peer_code"])),
                    "kind": "overtake", "sort": (0, 0)})
    out.sort(key=lambda x: x["sort"])
    return out


def county_table(period: Period, inds: list[dict]) -> dict:
    """Counties × indicators: growth coloured by pace, rank among the counties."""
    ranks = Ranks(period, "county", inds)
    gap_rows = index_rows(compute.gaps(period, "county"), "indicator", "region_code")
    rows = []
    home_city_code = home_code()
    city_ranks = Ranks(period, "city", inds)
    city_gaps = index_rows(compute.gaps(period, "city"), "indicator", "region_code")
    city_cells = [indicator_cells(ind, home_city_code, city_ranks, city_gaps, period, "city") for ind in inds]
    for county in counties():
        cells = [indicator_cells(ind, county["code"], ranks, gap_rows, period, "county") for ind in inds]
        for cell in cells:
            if cell["indicator"]["code"] == "fai":
                cell["link"] = (f"/projects/behind/?region={county['code']}&period={period}", "滞后项目")
            elif cell["indicator"]["code"] == "industry_va":
                cell["link"] = (f"/enterprises/stopped/?region={county['code']}&period={period}", "停产企业")
        rows.append({"region": county, "cells": cells})
    return {"indicators": inds, "rows": rows, "city": {"region": {"code": home_city_code, "name": home().name},
                                                       "cells": city_cells}}


def evaluation_table(period: Period, level: str) -> dict:
    evaluation = compute.evaluation(period, level=level)
    rows = []
    for r in sorted(evaluation["summary"], key=lambda r: (r["rank"] is None, r["rank"] or 0)):
        esrc = src("evaluation", period, level=level, region=r["region_code"])
        cov = compute.coverage_of(r, None)
        rows.append({
            "region_code": r["region_code"], "region_name": r["region_name"],
            "score": Num(fmt(r["score"], 2), esrc, raw=r["score"]),
            "rank": (Num(fmt(r["rank"], 0), esrc, raw=r["rank"], title=cov.text()) if cov.sufficient
                     else Num("数据不全", esrc, "incomplete", cov.incomplete_text())),
            "missing_items": r["missing_items"],
            "change": change_text(r["rank_change"]), "change_cls": change_cls(r["rank_change"]),
            "previous_rank": r["previous_rank"],
            "bonus": r["bonus"], "penalty": r["penalty"],
        })
    first = evaluation["summary"][0] if evaluation["summary"] else None
    cov = compute.coverage_of(first, None)
    coverage = (cov.text(LEVEL_WORDS[level][1]) if cov.sufficient else cov.incomplete_text()) if cov else ""
    return {"scheme": evaluation["scheme"], "rows": rows, "coverage": coverage}


def region_matrix(period: Period, level: str, regions: list[dict], inds: list[dict]) -> dict:
    ranks = Ranks(period, level, inds)
    gap_rows = index_rows(compute.gaps(period, level), "indicator", "region_code")
    rows = [{"region": reg, "cells": [indicator_cells(ind, reg["code"], ranks, gap_rows, period, level)
                                      for ind in inds]} for reg in regions]
    coverage = []
    for ind in inds:
        peers = ranks.peers(ind["code"])
        coverage.append({"indicator": ind, "text": coverage_text(peers[0], "growth", level) if peers else "无数据"})
    return {"indicators": inds, "rows": rows, "ranks": ranks, "coverage": coverage}


def by_rank(matrix: dict) -> dict:
    """The matrix's rows in the order of the first indicator's growth rank (units without one last)."""
    def key(row):
        rank = row["cells"][0]["rank_growth"].raw if row["cells"] else None
        return (rank is None, rank or 0, row["region"]["code"])

    matrix["rows"].sort(key=key)
    return matrix


def map_data(period: Period, level: str, indicator: dict, measure: str = "growth") -> dict:
    """The choropleth's data: one value per unit from the rank rows (growth or total)."""
    ranks = Ranks(period, level, [indicator])
    items = []
    for row in ranks.peers(indicator["code"]):
        value = row["growth"] if measure == "growth" else row["value"]
        rank = row["rank_growth"] if measure == "growth" else row["rank_total"]
        items.append({"code": row["region_code"], "name": row["region_name"], "value": value, "rank": rank})
    # Every unit is on the map, those without figures as 暂无数据 (value None).
    present = {item["code"] for item in items}
    for unit in counties() if level == "county" else cities():
        if unit["code"] not in present:
            items.append({"code": unit["code"], "name": unit["name"], "value": None, "rank": None})
    p = ranks.periods.get(indicator["code"])
    return {"indicator": indicator["code"], "indicator_name": indicator["name"], "measure": measure, "level": level,
            "unit": "%" if measure == "growth" else indicator["unit"], "items": items,
            "label": p.full_label(indicator["frequency"]) if p else ""}


def indicator_page(period: Period, indicator: dict, region: str) -> dict:
    level = "county" if region != home_code() else "city"
    s = compute.series(period, region, indicator["code"])
    chart = {
        "months": list(range(1, 13)),
        "this_year": {r["month"]: r["growth"] for r in s["this_year"]},
        "last_year": {r["month"]: r["growth"] for r in s["last_year"]},
        "target": s["target_growth"], "year": s["year"],
    }
    city_ranks = Ranks(period, "city", [indicator])
    peers = sorted(city_ranks.peers(indicator["code"]),
                   key=lambda r: (r["rank_growth"] is None, r["rank_growth"] or 0))
    bars = [{"code": r["region_code"], "name": r["region_name"], "value": r["growth"], "rank": r["rank_growth"],
             "home": r["region_code"] == home_code()} for r in peers]
    county_rows = region_matrix(period, "county", counties(), [indicator])
    current = city_ranks.get(indicator["code"], region) if level == "city" \
        else county_rows["ranks"].get(indicator["code"], region)
    sim = []
    # 争先进位 among peers too few of whom reported would be a position among too few: not measured.
    sim_rows = compute.simulation(period, region, indicator["code"]) \
        if current and compute.coverage_of(current, "growth").sufficient else []
    for r in sim_rows:
        ssrc = src("simulation", period, region=region, indicator=indicator["code"], k=r["target_rank"])
        sim.append({
            "k": r["target_rank"],
            "required": Num(fmt(r["required"], 1, "%") if r["required"] is not None else DASH, ssrc, raw=r["required"]),
            "gap": Num(fmt(r["gap"], 1), ssrc, "good" if (r["gap"] or 0) <= 0 else "bad", raw=r["gap"]),
            "within": r["within_range"],
            "amount": Num(fmt(r["amount_needed"], None, unit=indicator["unit"]), ssrc, raw=r["amount_needed"]),
            "per_month": Num(fmt(r["per_remaining_month"], None, unit=indicator["unit"]), ssrc, raw=r["per_remaining_month"]),
            "growth_needed": Num(fmt(r["growth_needed"], 1, "%") if r["growth_needed"] is not None else DASH, ssrc,
                                 raw=r["growth_needed"]),
            "note": r["note"], "own": r["own_point"], "own_low": r["own_low"], "own_high": r["own_high"],
        })
    own = compute.forecasts(period, level, indicator["code"])
    own = next((r for r in own if r["region_code"] == region and r["measure"] == "growth"), None)
    return {
        "level": level, "series": s, "chart": chart,
        # an empty chart draws bare axes: the page says there is nothing to draw instead
        "chart_has_points": any(v is not None for v in [*chart["this_year"].values(), *chart["last_year"].values()]),
        "bars_have_points": any(b["value"] is not None for b in bars),
        "series_src": src("series", period, region=region, indicator=indicator["code"]),
        "bars": bars, "counties": county_rows, "simulation": sim,
        "forecast": own,
        "forecast_record": track_record_text(own) if own else "",
        "forecast_src": src("forecast", period, level=level, indicator=indicator["code"], region=region,
                            measure="growth"),
        "current_rank": current,
        "current_rank_src": (city_ranks if level == "city" else county_rows["ranks"]).src(indicator["code"], region),
        "current_position": position_text(current, "growth", level),
        # a position may be stated (enough peers reported): then the rank itself opens the peer table
        "current_ranked": bool(current and current.get("rank_growth") is not None
                               and compute.coverage_of(current, "growth").sufficient),
        "current_coverage": coverage_text(current, "growth", level),
        "simulation_note": "" if sim or not current else coverage_text(current, "growth", level),
    }


def gap_page(period: Period, indicator: dict | None) -> dict:
    inds = main_indicators()
    city = index_rows(compute.gaps(period, "city"), "indicator", "region_code")
    home_city_code = home_code()
    rows = []
    for ind in inds:
        g = city.get((ind["code"], home_city_code))
        if g:
            rows.append(gap_row(g, ind, period, "city"))
    county = index_rows(compute.gaps(period, "county"), "indicator", "region_code")
    selected = indicator or inds[0]
    county_rows = []
    for reg in counties():
        g = county.get((selected["code"], reg["code"]))
        if g:
            county_rows.append({"region": reg, **gap_row(g, selected, period, "county")})
    matrix = []
    for reg in counties():
        cells = []
        for ind in inds:
            g = county.get((ind["code"], reg["code"]))
            cells.append(gap_row(g, ind, period, "county") if g else None)
        matrix.append({"region": reg, "cells": cells})
    return {"rows": rows, "county_rows": county_rows, "selected": selected, "indicators": inds, "matrix": matrix}


def gap_row(g: dict, ind: dict, period: Period, level: str) -> dict:
    gsrc = src("gap", period, level=level, indicator=ind["code"], region=g["region_code"])
    colour, basis, points = pace_status(g)
    cls = f"pace-{colour}" if colour else ""
    unit = ind["unit"]
    return {
        "indicator": ind, "label": Period.parse(g["period"]).label(ind["frequency"]), "colour": colour,
        "status": status_text(colour, basis, g),
        "target_total": Num(fmt(g["target_total"], None, unit=unit), gsrc, raw=g["target_total"]),
        "target_growth": Num(fmt(g["target_growth"], 1), gsrc, raw=g["target_growth"]),
        "value": Num(fmt(g["value"], None, unit=unit), gsrc, raw=g["value"]),
        "growth": Num(fmt(g["growth"], 1), gsrc, cls if basis == "growth" else "", raw=g["growth"]),
        "completion": Num(fmt(g["completion"], 1, "%") if g["completion"] is not None else DASH, gsrc,
                          cls if basis in ("pace", "seasonal") else "", raw=g["completion"]),
        "schedule": Num(fmt(g["schedule"], 1, "%") if g["schedule"] is not None else DASH, gsrc, raw=g["schedule"]),
        "amount_needed": Num(fmt(g["amount_needed"], None, unit=unit), gsrc, raw=g["amount_needed"]),
        "per_month": Num(fmt(g["per_remaining_month"], None, unit=unit), gsrc, raw=g["per_remaining_month"]),
        "growth_needed": needed_growth(g["growth_needed"], g["amount_needed"], gsrc),
        "growth_needed_for_growth": needed_growth(g["growth_needed_for_growth"], None, gsrc,
                                                  met=bool(g.get("growth_target_met"))),
        "seasonal": Num(fmt(g.get("seasonal_schedule"), 1, "%") if g.get("seasonal_schedule") is not None else DASH,
                        gsrc, raw=g.get("seasonal_schedule")),
        "months_remaining": g["months_remaining"], "unit": unit, "note": g["not_computable"],
    }


def still_needed(g: dict, ind: dict, period: Period) -> dict:
    """尚需 on 总览: what the rest of the year must bring for the annual target, as 目标差距 computes it:
    the amount still missing from a total target, and the growth the remaining months need (for the
    growth target when there is one, else for the total)."""
    cells = gap_row(g, ind, period, "city")
    has_total = g.get("target_total") is not None
    return {"amount": cells["amount_needed"] if has_total else None,
            "growth": cells["growth_needed_for_growth"] if g.get("target_growth") is not None
            else cells["growth_needed"] if has_total else None,
            "unit": ind["unit"], "months": g.get("months_remaining")}


def needed_growth(value: float | None, amount: float | None, gsrc: str, met: bool = False) -> Num:
    """剩余月份需增长 as a reader can take it: a target already reached says 已完成, a required
    growth below −100% (the rest of the year could produce nothing and still make it) says 无需增长."""
    if amount is not None and amount <= 0:
        return Num("已完成", gsrc, "good", "累计值已达到目标总量", value)
    if value is None:
        return Num(DASH, gsrc)
    if value <= -100:
        return Num("无需增长", gsrc, "good", f"剩余月份即使为零也能完成（计算值 {fmt(value, 1)}%）", value)
    if numbers.rounded(value, 1) < 0:  # "-34.0%" under 需增长 reads as a demand; it is slack
        return Num(f"可下降{fmt(-value, 1)}%", gsrc, "good",
                   f"剩余月份的累计增速比上年同期低{fmt(-value, 1)}%也能完成目标", value)
    return Num(fmt(value, 1, "%"), gsrc, "", "", value)


def province_comparison(period: Period, rows: list[dict]) -> list[dict]:
    """The province's own cumulative growth beside the city's, indicator by indicator (高于全省 /
    低于全省), at each indicator's data period; read from the published series of the province."""
    province = home().parent_id
    out = []
    for cells in rows:
        ind = cells["indicator"]
        p = data_period(ind, period)
        own = cells["growth"].raw
        if p is None or not province:
            continue
        series = compute.series(p, province, ind["code"])
        at = next((r for r in series["this_year"] if r["month"] == p.month), None)
        if at is None or at["growth"] is None:
            continue
        diff = own - at["growth"] if own is not None else None
        word = "" if diff is None else "高于全省" if diff > 0 else "低于全省" if diff < 0 else "与全省持平"
        out.append({"indicator": ind, "own": own, "province": Num(fmt(at["growth"], 1), src(
            "series", p, region=province, indicator=ind["code"]), raw=at["growth"]),
            "diff": abs(diff) if diff is not None else None, "word": word, "cls": "up" if (diff or 0) > 0 else "down" if (diff or 0) < 0 else "flat"})
    return out
