"""Demo fiscal ledgers (演示数据), built from the demo figures already loaded.

* Budget execution 2021-06 … 2021-10 for 市级 and the nine counties. The counties'
  actuals are their published figures; 全市 (市级 + counties) equals 陇南's figure.
  The demo figures book the city's own level (市级, 市本级) inside 武都区, the city
  seat: here a share of 武都区's figure is 市级 (``CITY_SHARE``), the rest 武都区.
* Land revenue: the counties' budgets are their 2021 targets (全市 completes
  ``LAND_REVENUE_COMPLETION_OCT`` of its budget at 1-10月); the 市级 part of 武都区's
  land budget is large and barely collected (``CITY_LAND``): "市级仅入库*亿元".
* Budgets of the other lines: 2020's full-year figure × (1 + the 2021 growth target); the tax
  budget keeps October's tax share of general revenue, non-tax is the rest.
* 财力缺口 parameters per unit; the gap follows mostly from the 市级 land shortfall.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from diaodu.core import write_path
from diaodu.fiscal import calc
from diaodu.fiscal.models import BudgetExecution, GapParameters, LandParcel, SpecialBond
from diaodu.indicators.models import Observation, Target
from diaodu.org.home import home_code
from diaodu.org.models import Department, Region

REASON = "演示数据"
YEAR, LAST_MONTH = 2021, 10
# The months the demo ledger holds (each a full 预算执行情况表): 1-6月 to 1-10月.
MONTHS = range(6, LAST_MONTH + 1)
WUDU = "621202"
# 市级's share of 武都区's figures (the city's own level booked in the city seat).
CITY_SHARE = {"revenue_broad": 0.42, "revenue_general": 0.40, "revenue_tax": 0.40, "expenditure_general": 0.48}
# 市级 land revenue: share of 武都区's land budget and of its collections (far behind).
CITY_LAND = {"budget": 0.74, "actual": 0.26}
LAND_IN_FUND = 0.88  # 土地出让收入 / 政府性基金收入
EXPENDITURE_GROWTH = 3.0  # % budgeted over 2020's expenditure
# 财力缺口 parameters (亿元): transfers per 万人 scale, and the structural gap before
# the land shortfall of each unit (the rest comes from the data).
STRUCTURAL_GAP = {"621200": 3.6, "621202": 0.8, "621221": 0.9, "621222": 0.6, "621223": 1.1, "621224": 0.7,
                  "621225": 1.3, "621226": 1.2, "621227": 0.5, "621228": 0.4}
LAND_SHARE = 0.6


def _figures() -> dict:
    codes = ["revenue_broad", "revenue_general", "revenue_tax", "expenditure_general", "land_revenue"]
    out = {}
    for region, code, year, month, value in (Observation.objects.filter(
            indicator__code__in=codes, year__in=(YEAR - 1, YEAR), published_revision__isnull=False)
            .values_list("region_id", "indicator__code", "year", "month", "published_value")):
        out[region, code, year, month] = value
    return out


def _targets() -> dict:
    return {(t.region_id, t.indicator.code): t for t in Target.objects.filter(year=YEAR).select_related("indicator")}


def budget_lines(home: str, counties: list[str]) -> list[dict]:
    """Every (unit, month, item) with budget and actual (亿元) — the demo's numbers."""
    figures, targets = _figures(), _targets()
    rows = []
    for month in MONTHS:
        for county in counties:
            for unit in ([home, county] if county == WUDU else [county]):
                values = {}
                for item in ("revenue_broad", "revenue_general", "revenue_tax", "expenditure_general"):
                    actual = figures.get((county, item, YEAR, month))
                    last = figures.get((county, item, YEAR - 1, 12))
                    growth_target = targets.get((county, "revenue_general" if item == "revenue_tax" else item))
                    growth = growth_target.growth if growth_target and growth_target.growth is not None \
                        else EXPENDITURE_GROWTH
                    budget = last * (1 + growth / 100) if last is not None else None
                    if county == WUDU:
                        share = CITY_SHARE[item] if unit == home else 1 - CITY_SHARE[item]
                        actual = actual * share if actual is not None else None
                        budget = budget * share if budget is not None else None
                    values[item] = (budget, actual)
                land_actual = figures.get((county, "land_revenue", YEAR, month))
                land_budget = targets[(county, "land_revenue")].total
                if county == WUDU:
                    key_b, key_a = CITY_LAND["budget"], CITY_LAND["actual"]
                    if unit != home:
                        key_b, key_a = 1 - key_b, 1 - key_a
                    land_budget, land_actual = land_budget * key_b, land_actual * key_a
                values["land_revenue"] = (land_budget, land_actual)
                values["fund_revenue"] = (land_budget / LAND_IN_FUND, land_actual / LAND_IN_FUND)
                # the tax budget keeps the unit's October tax share of general revenue
                rb, ra = values["revenue_general"]
                tax_share = figures[(county, "revenue_tax", YEAR, LAST_MONTH)] / \
                    figures[(county, "revenue_general", YEAR, LAST_MONTH)]
                tb, ta = rb * tax_share, values["revenue_tax"][1]
                values["revenue_tax"] = (tb, ta)
                values["revenue_nontax"] = (rb - tb, ra - ta)
                for item, (budget, actual) in values.items():
                    rows.append({"region": unit, "month": month, "item": item,
                                 "budget": _dec(budget, 4), "actual": _dec(actual, 4)})
    return rows


def load_demo(users) -> dict:
    user = users["admin"]
    czj = Department.objects.get(code="czj")
    zrzyj = Department.objects.get(code="zrzyj")
    home = home_code()
    regions = {r.code: r for r in Region.objects.filter(code=home) | Region.objects.filter(parent_id=home)}
    counties = sorted(c for c in regions if c != home)
    lines = budget_lines(home, counties)
    # one batch (and one change record) for the monthly tables: a first load, like an import of them
    write_path.bulk_create_records(user, [BudgetExecution(
        region=regions[line["region"]], department=czj, year=YEAR, month=line["month"], item=line["item"],
        budget=line["budget"], actual=line["actual"], note=REASON) for line in lines], reason=REASON, source="demo")
    # 财力缺口 parameters: rigid need = what the unit can afford if every budget is met,
    # plus its structural gap; the land shortfall comes on top (land projected at pace).
    october = {(r["region"], r["item"]): r for r in lines if r["month"] == LAST_MONTH}
    gaps = 0
    for code in [home, *counties]:
        revenue = october[(code, "revenue_general")]
        land = october[(code, "land_revenue")]
        budget = float(revenue["budget"])
        transfers = _dec(budget * (5.5 if code == home else 4.0), 2)
        carryover = _dec(budget * 0.25, 2)
        remittance = _dec(budget * 0.1, 2)
        affordable = calc.fiscal_gap(calc.GapInputs(
            revenue_actual=float(revenue["actual"]), revenue_budget=budget, land_actual=float(land["budget"]),
            land_budget=float(land["budget"]), month=LAST_MONTH, transfers=float(transfers), carryover=float(carryover),
            remittance=float(remittance), land_share=LAND_SHARE, revenue_projection="budget",
            land_projection="budget")).available
        write_path.create_record(user, GapParameters(
            region=regions[code], department=czj, year=YEAR, transfers=transfers, carryover=carryover,
            remittance=remittance, land_share=Decimal(str(LAND_SHARE)),
            rigid_need=_dec(affordable + STRUCTURAL_GAP[code], 2),
            revenue_projection="budget", land_projection="pace",
            note="演示口径：刚性支出需求含保工资、保运转、保基本民生和债务还本付息"), reason=REASON, source="demo")
        gaps += 1
    parcels = _parcels(user, regions, home, zrzyj)
    bonds = _bonds(user, regions, home, czj)
    return {"budget_lines": len(lines), "gap_parameters": gaps, "land_parcels": parcels, "special_bonds": bonds}


# code, unit, location, use, area (亩), sold on, fee due (万元), paid, responsible unit, measures
PARCELS = [
    ("LN2021-01", "621200", "武都区东江新区A-03地块", "住宅", 86.5, "2021-03-18", 21800, 6500, "市自然资源局",
     "约谈竞得人，限期缴清，逾期依法收取违约金"),
    ("LN2021-02", "621200", "武都区东江新区B-07地块", "商住", 64.2, "2021-05-26", 15600, 3000, "市自然资源局",
     "发催缴通知书，协调分期缴纳"),
    ("LN2021-03", "621200", "武都区汉王片区C-11地块", "商业", 38.0, "2021-07-09", 9200, 0, "市自然资源局",
     "竞得人资金未到位，启动解除合同程序评估"),
    ("LN2020-09", "621200", "武都区钟楼滩片区D-02地块", "住宅", 52.3, "2020-11-20", 11400, 8400, "市自然资源局",
     "剩余款项约定12月底前缴清"),
    ("LN2021-04", "621200", "武都区北山片区E-05地块", "住宅", 45.6, "2021-09-28", 8300, 1660, "市自然资源局",
     "首付款已缴，余款按合同分期"),
    ("WD2021-06", "621202", "武都区城关镇F-01地块", "住宅", 30.4, "2021-06-15", 5600, 5600, "武都区自然资源局", ""),
    ("WD2021-08", "621202", "武都区两水镇G-02地块", "工业", 60.0, "2021-08-20", 1800, 900, "武都区自然资源局",
     "按招商协议分期缴纳"),
    ("CX2021-03", "621221", "成县城关镇H-06地块", "住宅", 28.7, "2021-04-22", 4200, 4200, "成县自然资源局", ""),
    ("CX2021-05", "621221", "成县经开区I-02地块", "工业", 75.0, "2021-07-30", 1500, 600, "成县自然资源局",
     "企业停产，协调延期缴纳"),
    ("HX2021-02", "621227", "徽县城关镇J-04地块", "商住", 33.1, "2021-05-11", 4800, 2400, "徽县自然资源局",
     "催缴"),
    ("XH2021-04", "621225", "西和县汉源镇K-03地块", "住宅", 25.0, "2021-06-30", 3100, 1200, "西和县自然资源局",
     "催缴"),
    ("LX2021-01", "621226", "礼县城关镇L-01地块", "住宅", 22.4, "2021-04-08", 2900, 2900, "礼县自然资源局", ""),
    ("WX2021-02", "621222", "文县城关镇M-05地块", "商住", 18.9, "2021-08-05", 2300, 1100, "文县自然资源局",
     "督促竞得人筹措资金"),
    ("DC2021-01", "621223", "宕昌县城关镇N-02地块", "住宅", 20.5, "2021-05-19", 2100, 2100, "宕昌县自然资源局", ""),
    ("KX2021-02", "621224", "康县城关镇P-01地块", "住宅", 16.8, "2021-07-14", 1700, 850, "康县自然资源局", "催缴"),
    ("LD2021-01", "621228", "两当县城关镇Q-01地块", "住宅", 8.6, "2021-06-03", 700, 700, "两当县自然资源局", ""),
]


def _parcels(user, regions, home, zrzyj) -> int:
    for code, unit, location, use, area, sold, due, paid, owner, measures in PARCELS:
        sold_on = dt.date.fromisoformat(sold)
        write_path.create_record(user, LandParcel(
            code=code, location=location, region=regions[unit], department=zrzyj if unit == home else None,
            use=use, area_mu=Decimal(str(area)), sold_on=sold_on, buyer="（演示）某置业有限公司" if use != "工业" else "（演示）某实业有限公司",
            fee_due=due, fee_paid=paid, due_date=sold_on + dt.timedelta(days=180), unit=owner,
            measures=measures, responsible=""), reason=REASON, source="demo")
    return len(PARCELS)


# code, unit, name, project code, allocated (万元), spent
BONDS = [
    ("ZXZ2021-01", "621200", "陇南市中心城区老旧小区改造项目", "2021-621200-47-01-000101", 30000, 14200),
    ("ZXZ2021-02", "621200", "陇南市东江新区基础设施建设项目", "2021-621200-48-01-000102", 45000, 16800),
    ("ZXZ2021-03", "621200", "陇南市冷链物流园区项目", "2021-621200-59-01-000103", 20000, 5400),
    ("ZXZ2021-04", "621202", "武都区城乡供水一体化项目", "2021-621202-46-01-000104", 18000, 11500),
    ("ZXZ2021-05", "621221", "成县工业园区标准化厂房项目", "2021-621221-47-01-000105", 15000, 6300),
    ("ZXZ2021-06", "621222", "文县城区污水处理提标改造项目", "2021-621222-77-01-000106", 8000, 5100),
    ("ZXZ2021-07", "621223", "宕昌县中药材交易市场项目", "2021-621223-51-01-000107", 9000, 3800),
    ("ZXZ2021-08", "621224", "康县乡村旅游基础设施项目", "2021-621224-78-01-000108", 7000, 4600),
    ("ZXZ2021-09", "621225", "西和县产业园区道路建设项目", "2021-621225-48-01-000109", 10000, 3500),
    ("ZXZ2021-10", "621226", "礼县苹果冷链仓储项目", "2021-621226-59-01-000110", 9000, 5200),
    ("ZXZ2021-11", "621227", "徽县医疗服务能力提升项目", "2021-621227-84-01-000111", 12000, 7700),
    ("ZXZ2021-12", "621228", "两当县城区停车场建设项目", "2021-621228-48-01-000112", 4000, 1500),
]


def _bonds(user, regions, home, czj) -> int:
    for code, unit, name, project, allocated, spent in BONDS:
        write_path.create_record(user, SpecialBond(
            code=code, name=name, region=regions[unit], department=czj if unit == home else None,
            project_code=project, year=YEAR, allocated=allocated, spent=spent, note=REASON),
            reason=REASON, source="demo")
    return len(BONDS)


def _dec(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")
