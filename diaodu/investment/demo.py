"""Demo 招商引资 ledger (演示数据), consistent with the demo figures.

About 150 deals over the 9 counties with their funds arrived by month. Deterministic: every
draw comes from a generator seeded by (SEED, county code).

Consistency with the figures (the rule the tests check): for each county and each month m of
2021, the funds its deals received in 1-m月 equal the county's published 招商引资到位资金 1-m月
(亿元) exactly. January and February are published together; the ledger splits the 1-2月 amount
between the two months.

The story (the speech's 招商引资 paragraph): 上海东方龙商务科技集团有限公司 is still 在谈 with
武都区; 西和县 has signed deals that have not started (签约项目开工率 ranks low); 礼县 and 徽县
have received little of what was signed (资金到位率 ranks low); a few deals were terminated.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

import numpy as np

from diaodu.core import write_path
from diaodu.core.numbers import split_amount, to_wan
from diaodu.investment.models import Channel, Deal, DealStage, FundsArrival
from diaodu.org.home import home_code
from diaodu.org.models import Department, Region

SEED = 20211029
YEAR, LAST_MONTH = 2021, 10
TOTAL_DEALS = 150
REASON = "演示数据"
LOW_START = {"621225"}
LOW_FUNDS = {"621226", "621227"}
DONGFANGLONG = "上海东方龙商务科技集团有限公司"

CITIES = ["兰州", "西安", "成都", "重庆", "深圳", "杭州", "天津", "北京", "天水", "广州", "宁波", "厦门"]
WORDS = ["绿源", "恒信", "华泰", "中科", "金橄榄", "陇源", "秦巴", "宏达", "瑞丰", "长青", "鼎盛", "嘉禾"]
TRADES = [("农业科技", "油橄榄精深加工"), ("生物科技", "中药材提取"), ("新能源", "分布式光伏"), ("文旅发展", "文旅康养综合体"),
          ("建材", "新型建材生产"), ("物流", "冷链物流园"), ("食品", "核桃花椒食品加工"), ("矿业", "有色金属综合利用"),
          ("电子商务", "电商产业园"), ("茶业", "茶叶种植加工")]


def _rng(*keys) -> np.random.Generator:
    return np.random.default_rng([SEED, *(zlib.crc32(str(k).encode()) for k in keys)])


def arrived_by_month(county_codes) -> dict[str, dict[int, Decimal]]:
    """The published 招商引资到位资金 1-m月 of each county in 2021 (亿元)."""
    from diaodu.indicators.models import Observation

    out: dict[str, dict[int, Decimal]] = {c: {} for c in county_codes}
    for region, month, value in Observation.objects.filter(
            indicator__code="investment_arrived", year=YEAR, month__lte=LAST_MONTH, region_id__in=county_codes,
            published_value__isnull=False).values_list("region_id", "month", "published_value"):
        out[region][month] = Decimal(str(value))
    return out


def load_demo(users) -> dict:
    """Create the demo deals and their funds arrived through the write path, entered by
    市投资促进局's clerk; returns counts."""
    actor = users["zhaoshang"]
    tzcjj = Department.objects.filter(code="tzcjj").first()
    regions = list(Region.objects.filter(parent_id=home_code(),
                                         level=Region.Level.COUNTY).order_by("code"))
    arrived = arrived_by_month([r.code for r in regions])
    total = sum(a[LAST_MONTH] for a in arrived.values())
    counts = {c: max(9, int(round(float(a[LAST_MONTH] / total) * TOTAL_DEALS))) for c, a in arrived.items()}
    counts[max(counts, key=counts.get)] += TOTAL_DEALS - sum(counts.values())
    deals, arrivals = [], []
    for region in regions:
        rng = _rng("deals", region.code)
        plans = _plan(rng, region, counts[region.code])
        _arrivals(rng, region, plans, arrived[region.code])
        for i, p in enumerate(plans, start=1):
            deal = Deal(code=f"ZS-{region.code}-{i:03d}", region=region, department=tzcjj,
                        responsible=f"{region.short_name}招商局", note=REASON, **p["fields"])
            deals.append(deal)
            arrivals += [(deal, year, month, amount) for (year, month), amount in sorted(p["arrivals"].items())]
    # Batches through the ledger write path: a record per row would take most of a minute.
    write_path.bulk_create_records(actor, deals, reason=REASON, source="demo")
    write_path.bulk_create_records(
        actor,
        [FundsArrival(deal=deal, year=year, month=month, amount=Decimal(str(amount)), region_id=deal.region_id,
                      department_id=deal.department_id) for deal, year, month, amount in arrivals],
        reason=REASON, source="demo",
    )
    return {"deals": len(deals), "funds_arrivals": len(arrivals)}


def _plan(rng, region: Region, n: int) -> list[dict]:
    stages = (
        [DealStage.NEGOTIATING] * round(n * 0.18)
        + [DealStage.SIGNED] * round(n * (0.34 if region.code in LOW_START else 0.14))
        + [DealStage.TERMINATED] * max(1, round(n * 0.06))
    )
    stages += [DealStage.OPERATING] * round(n * 0.18)
    stages += [DealStage.STARTED] * (n - len(stages))
    plans = []
    for i, stage in enumerate(stages):
        trade, thing = TRADES[int(rng.integers(len(TRADES)))]
        counterparty = f"{CITIES[rng.integers(len(CITIES))]}{WORDS[rng.integers(len(WORDS))]}{trade}有限公司"
        fields = {
            "name": f"{region.short_name}{thing}项目",
            "counterparty": counterparty, "industry": thing,
            "channel": Channel.values[rng.choice(5, p=[.2, .2, .15, .15, .3])], "stage": stage,
        }
        if region.code == "621202" and i == 0:
            fields.update(name="陇南数字经济产业园项目", counterparty=DONGFANGLONG, industry="数字经济",
                          channel=Channel.ADVISER, stage=DealStage.NEGOTIATING)
            stage = DealStage.NEGOTIATING
        signed = None
        if stage != DealStage.NEGOTIATING:
            signed = dt.date(int(rng.choice([2019, 2020, 2020, 2021, 2021, 2021])), int(rng.integers(1, 11)),
                             int(rng.integers(1, 28)))
            if signed > dt.date(YEAR, LAST_MONTH, 20):
                signed = dt.date(YEAR, 9, 20)
            fields["signed_date"] = signed
        if stage == DealStage.NEGOTIATING:
            fields["expected_sign_date"] = dt.date(YEAR, 12, int(rng.integers(1, 28)))
            fields["contract_amount"] = to_wan(rng.lognormal(0.6, 0.8))
        if stage in (DealStage.STARTED, DealStage.OPERATING):
            fields["start_date"] = min(signed + dt.timedelta(days=int(rng.integers(30, 200))),
                                       dt.date(YEAR, LAST_MONTH, 25))
        if stage == DealStage.SIGNED:
            fields["expected_start_date"] = dt.date(YEAR + int(rng.integers(0, 2)), int(rng.integers(11, 13)), 15)
        if stage in (DealStage.SIGNED, DealStage.STARTED):
            fields["expected_operation_date"] = dt.date(YEAR + int(rng.integers(1, 3)), int(rng.integers(1, 13)), 1)
        plans.append({"fields": fields, "arrivals": {}, "weight": float(rng.lognormal(0, 0.7))})
    return plans


def _arrivals(rng, region, plans, target: dict[int, Decimal]) -> None:
    """Funds arrived by month: 2021's follow the county's published figure exactly; earlier
    years' are drawn; then each deal's contract amount is set from its funds and a rate."""
    previous = Decimal("0")
    for month in range(2, LAST_MONTH + 1):
        increment = target[month] - previous
        previous = target[month]
        active = [p for p in plans if p["fields"]["stage"] in (DealStage.STARTED, DealStage.OPERATING, DealStage.SIGNED)
                  and p["fields"]["signed_date"] <= dt.date(YEAR, month, 28)]
        if not active:  # nothing signed yet: the earliest signed deal receives the money
            active = sorted((p for p in plans if p["fields"].get("signed_date")
                             and p["fields"]["stage"] != DealStage.TERMINATED),
                            key=lambda p: p["fields"]["signed_date"])[:1]
        weights = [p["weight"] * (0.3 if p["fields"]["stage"] == DealStage.SIGNED else 1.0) for p in active]
        for p, amount in zip(active, split_amount(increment, weights), strict=True):
            if month == 2:  # 1-2月: split between January and February
                january = (amount * Decimal(str(round(rng.uniform(0.3, 0.6), 2)))).quantize(Decimal("0.0001"))
                _add(p, (YEAR, 1), january)
                _add(p, (YEAR, 2), amount - january)
            else:
                _add(p, (YEAR, month), amount)
    low = region.code in LOW_FUNDS
    for p in plans:
        f = p["fields"]
        signed = f.get("signed_date")
        if signed and signed.year < YEAR and f["stage"] != DealStage.NEGOTIATING:
            for month in range(max(signed.month, 1) if signed.year == YEAR - 1 else 1, 13, 3):
                _add(p, (YEAR - 1, month), to_wan(rng.uniform(0.05, 0.6)))
        if "contract_amount" in f:
            continue
        total = sum(p["arrivals"].values(), Decimal("0"))
        if total == 0:
            f["contract_amount"] = to_wan(rng.lognormal(0.5, 0.7))
        else:
            rate = rng.uniform(0.15, 0.42) if low else rng.uniform(0.45, 0.92)
            f["contract_amount"] = to_wan(float(total) / rate)


def _add(plan, key, amount: Decimal) -> None:
    if amount > 0:
        plan["arrivals"][key] = plan["arrivals"].get(key, Decimal("0")) + amount
