""""Where does this number come from": a number's engine row → its observations and its rule.

A number on a page carries ``kind`` and the parameters of the ``compute`` call that produced it
(see ``pages.src``). This module finds that row again (a cached read) and resolves its
``sources`` — keys ``region/indicator/YYYY-MM`` — into the published observations, with their
revision and vintage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from diaodu.core import numbers
from diaodu.engine.forecast import track_record_text
from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators.models import Indicator, Observation, Revision
from diaodu.org import scopes

KINDS = ("rank", "gap", "forecast", "evaluation", "contribution", "series", "simulation", "overtake")
TITLES = {"rank": "排名", "gap": "目标与序时进度", "forecast": "全年预计", "evaluation": "综合评价",
          "contribution": "贡献率与拉动", "series": "月度累计走势", "simulation": "争先进位测算",
          "overtake": "被超越"}


class UnknownNumber(ValueError):
    """The parameters name no row of the engine's results."""


@dataclass
class Source:
    title: str
    rule: list[str]
    keys: list[str]
    row: dict = field(default_factory=dict)
    observations: list[dict] = field(default_factory=list)
    responsibility: object = None  # the 目标责任书 of the number's target, when one is on file
    # What makes the number reproducible beside its observations: the peer table of a rank,
    # the item table of a score, the target of a completion (see ``explain_*``).
    peers: dict | None = None
    items: dict | None = None
    target: dict | None = None

    @property
    def observation_ids(self) -> list[int]:
        return [o["id"] for o in self.observations]


def find(params) -> Source:
    kind = params.get("kind", "")
    if kind not in KINDS:
        raise UnknownNumber(f"未知的数字类别：{kind}")
    try:
        period = Period.parse(params.get("period", ""))
    except PeriodError as exc:
        raise UnknownNumber(str(exc)) from exc
    level = params.get("level") or "city"
    if level not in compute.LEVELS:
        raise UnknownNumber(f"未知的层级：{level}")
    region = params.get("region", "")
    indicator = params.get("indicator", "")

    def one(rows, **match):
        for row in rows:
            if all(str(row.get(k)) == str(v) for k, v in match.items()):
                return row
        raise UnknownNumber("找不到该数字对应的计算结果（数据可能已更新，请刷新页面）。")

    extra: dict = {}
    if kind == "rank":
        rows = compute.ranks(period, level)
        row = one(rows, indicator=indicator, region_code=region)
        rules, keys = [row["rule"]], row["sources"]
        title = f"{row['region_name']} · {row['indicator_name']} · 在{row['group_name']}中的名次"
        unit = Indicator.objects.filter(code=indicator).values_list("unit", flat=True).first() or ""
        extra["peers"] = explain_rank(row, [r for r in rows if r["indicator"] == indicator], unit)
    elif kind == "gap":
        row = one(compute.gaps(period, level), indicator=indicator, region_code=region)
        rules, keys = [row["rule"]], row["sources"]
        title = f"{row['region_name']} · {row['indicator_name']} · 目标完成与序时进度"
        extra["target"] = explain_target(row)
    elif kind == "forecast":
        row = one(compute.forecasts(period, level), indicator=indicator, region_code=region,
                  measure=params.get("measure") or "growth")
        rules, keys = [row["rule"], *forecast_record_lines(row)], row["sources"]
        title = f"{row['region_name']} · {row['indicator_name']} · 全年预计"
    elif kind == "evaluation":
        result = compute.evaluation(period, level=level)
        row = one(result["summary"], region_code=region)
        items = [i for i in result["items"] if i["region_code"] == region]
        rules = [row["rule"], *dict.fromkeys(i["rule"] for i in items if i.get("rule"))]
        keys = [k for i in items for k in (i.get("sources") or [])]
        title = f"{row['region_name']} · {result['scheme']['name']}"
        extra["items"] = explain_score(row, result)
    elif kind == "contribution":
        row = one(compute.contributions(period, region or None), part_indicator=indicator)
        rules, keys = [row["rule"]], row["sources"]
        title = f"{row['region_name']} · {row['part_name']}对经济增长的贡献"
    elif kind == "series":
        row = compute.series(period, region, indicator)
        rules, keys = [row["rule"]], row["sources"]
        title = "月度累计增速走势"
    elif kind == "overtake":
        row = one(compute.overtakes(period, indicator, region or None), peer_code=params.get("peer", ""))
        rules, keys = [row["rule"]], row["sources"]
        title = f"{row['peer_name']}超越本单位 · 相差{numbers.text(row['margin'], 2)}"
    else:  # simulation
        row = one(compute.simulation(period, region, indicator), target_rank=params.get("k", ""))
        rules, keys = [row["rule"], row.get("forecast_rule", "")], row["sources"]
        title = f"{row['region_name']} · 争先进位：达到第{row['target_rank']}位所需"
    # Who answers for the target behind the number (目标责任书), when the number has one region
    # and one indicator: the completion, rank, forecast, series and simulation figures.
    responsible = None
    if region and indicator and kind not in ("evaluation", "contribution"):
        from diaodu.indicators.responsibility import responsibility_for

        responsible = responsibility_for(region, indicator, period.year)
    return Source(title=title, rule=[r for r in rules if r], keys=list(dict.fromkeys(keys)), row=row,
                  responsibility=responsible, **extra)


def forecast_record_lines(row: dict) -> list[str]:
    """A growth forecast's method and track record, and the unit's earlier forecasts (each made
    with only what was known then) against what the year turned out to be."""
    if row.get("measure") != "growth" or row.get("method") == "actual":
        return []
    lines = [f"方法与往年检验：{track_record_text(row)}。"]
    past = row.get("history") or []
    if past:
        pct = numbers.text  # one decimal, half up, as every page and document prints a growth
        lines.append("往年同期预计与实际：" + "；".join(
            f"{h['year']}年预计{pct(h['point'], 1)}%"
            + (f"（{pct(h['low'], 1)}～{pct(h['high'], 1)}%）" if h.get("low") is not None else "")
            + f"，实际{pct(h['actual'], 1)}%（年内累计{pct(h['current'], 1)}%，{h['method']}）" for h in past) + "。")
    return lines


def _neighbour(own: dict, other: dict | None, column: str, rank_column: str) -> dict | None:
    if other is None:
        return None
    gap = None
    if own.get(column) is not None and other.get(column) is not None:
        gap = abs(other[column] - own[column])
    return {"name": other["region_name"], "code": other["region_code"], "rank": other[rank_column],
            "value": other[column], "gap": gap}


def explain_rank(row: dict, peers: list[dict], unit: str = "") -> dict:
    """The peer table of a rank: every unit's value, growth and ranks, the unit itself marked,
    and its neighbours by growth and by total with the gap to each (in the measure's unit)."""
    order = sorted(peers, key=lambda r: (r["rank_growth"] is None, r["rank_growth"] or 0, r["region_code"]))
    table = [{**{k: r.get(k) for k in ("region_code", "region_name", "value", "growth", "rank_growth",
                                        "rank_total")}, "self": r["region_code"] == row["region_code"]}
             for r in order]
    neighbours = []
    for column, rank_column, word, gap_unit in (("growth", "rank_growth", "增速", "个百分点"),
                                                ("value", "rank_total", "总量", unit)):
        rank = row.get(rank_column)
        if rank is None:
            continue
        ranked = sorted((r for r in peers if r.get(rank_column) is not None and r["region_code"] != row["region_code"]),
                        key=lambda r: r[rank_column])
        above = next((r for r in reversed(ranked) if r[rank_column] < rank), None)
        below = next((r for r in ranked if r[rank_column] > rank), None)
        neighbours.append({"word": word, "rank": rank, "unit": gap_unit,
                           "above": _neighbour(row, above, column, rank_column),
                           "below": _neighbour(row, below, column, rank_column)})
    return {"rows": table, "neighbours": neighbours, "count": len(table), "unit": unit,
            "ranked": sum(1 for r in table if r["rank_growth"] is not None)}


def explain_score(row: dict, result: dict) -> dict:
    """The item table of a composite score: every item's weight, the unit's raw value, points
    earned and possible, 缺数 items; and the same points for the units ranked just above and below."""
    summary = [r for r in result["summary"] if r.get("group") == row.get("group")] or result["summary"]
    ranked = sorted((r for r in summary if r["rank"] is not None and r["region_code"] != row["region_code"]),
                    key=lambda r: (r["rank"], r["region_code"]))
    above = next((r for r in reversed(ranked) if row["rank"] is not None and r["rank"] < row["rank"]), None)
    below = next((r for r in ranked if row["rank"] is not None and r["rank"] > row["rank"]), None)
    by_unit: dict[str, dict[str, dict]] = {}
    for item in result["items"]:
        by_unit.setdefault(item["region_code"], {})[item["item"]] = item
    own = by_unit.get(row["region_code"], {})
    lines = []
    for code, item in own.items():
        bonus = item["method"] in ("bonus", "penalty")
        lines.append({
            "code": code, "name": item["item_name"], "method": item["method"], "weight": item["weight"],
            "raw": item["raw"], "rank": item["rank"], "points": item["score"] or 0.0,
            "possible": None if bonus else item["weight"], "missing": bool(item.get("note")),
            "note": item.get("note") or "", "bonus": bonus,
            "above": (by_unit.get(above["region_code"], {}).get(code) or {}).get("score") if above else None,
            "below": (by_unit.get(below["region_code"], {}).get(code) or {}).get("score") if below else None,
        })
    return {
        "lines": lines, "total": row["score"], "rank": row["rank"], "count": len(summary),
        "possible": sum(x["possible"] or 0 for x in lines),
        "above": {"name": above["region_name"], "rank": above["rank"], "score": above["score"],
                  "gap": above["score"] - row["score"]} if above else None,
        "below": {"name": below["region_name"], "rank": below["rank"], "score": below["score"],
                  "gap": row["score"] - below["score"]} if below else None,
        "missing": [x["name"] for x in lines if x["missing"]],
    }


def explain_target(row: dict) -> dict:
    """A completion figure's target: the annual total and growth and where they come from."""
    from diaodu.indicators.models import Target

    label = dict(Target.Source.choices).get(row.get("target_source") or "", row.get("target_source") or "")
    return {"total": row.get("target_total"), "growth": row.get("target_growth"), "unit": row.get("unit") or "",
            "source": f"{label}年度目标" if label else "年度目标（未注明来源）", "value": row.get("value"),
            "completion": row.get("completion"), "schedule": row.get("schedule"),
            "seasonal_schedule": row.get("seasonal_schedule")}


def resolve(source: Source, user) -> Source:
    """Attach the published observations behind the keys (only those the user may read)."""
    parsed = []
    for key in source.keys:
        try:
            region, indicator, period = key.split("/")
            p = Period.parse(period)
        except (ValueError, PeriodError):
            continue
        parsed.append((key, region, indicator, p.year, p.month))
    if not parsed:
        return source
    condition = Q()
    for _, region, indicator, year, month in parsed:
        condition |= Q(region_id=region, indicator__code=indicator, year=year, month=month)
    qs = scopes.restrict_observations(user, Observation.objects.filter(condition, published_revision__isnull=False))
    found = {(o.region_id, o.indicator.code, o.year, o.month): o
             for o in qs.select_related("region", "indicator")}
    vintages = {
        (r.observation_id, r.number): r for r in Revision.objects.filter(
            observation__in=list(found.values())).only("observation_id", "number", "vintage", "published_at")
    }
    out = []
    for key, region, indicator, year, month in parsed:
        obs = found.get((region, indicator, year, month))
        if obs is None:
            continue
        revision = vintages.get((obs.pk, obs.published_revision))
        out.append({
            "id": obs.pk, "key": key, "region": obs.region.name, "indicator": obs.indicator.name,
            "unit": obs.indicator.unit, "label": obs.period.full_label(obs.indicator.frequency),
            "value": obs.published_value, "growth": obs.published_growth,
            "revision": obs.published_revision, "latest_revision": obs.revision,
            "vintage": revision.get_vintage_display() if revision else "",
            "published_at": obs.published_at,
        })
    source.observations = out
    return source
