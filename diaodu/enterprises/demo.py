"""Demo enterprises (演示数据), consistent with the demo figures.

The stopped, half-stopped and unsold enterprises sit mostly in the counties whose
规上工业 falls in 2021 (``diaodu.demo.figures.INDUSTRY_FALLING_COUNTIES``), like the
speech's "**水泥" hit by the epidemic; 暖山农业 is one of the 升规 candidates. Names
are invented; codes are well-formed (both check characters computed). Written
through the ledger write path, so every row has its change record.
"""

from __future__ import annotations

from decimal import Decimal

from diaodu.core import write_path
from diaodu.enterprises.codes import make_credit_code
from diaodu.enterprises.models import Enterprise, EnterpriseMonth
from diaodu.org.models import Department, Region

REASON = "演示数据"
AS_OF = (2021, 10)
# The months of figures the demo keeps: the twelve months to 2021-10, enough for the
# 升规 assessment on the last twelve months.
MONTHS = [(2020, m) for m in (11, 12)] + [(2021, m) for m in range(1, 11)]
SEASON = (0.75, 0.8, 1.0, 1.0, 1.05, 1.05, 1.0, 1.0, 1.05, 1.05, 1.1, 1.15)

# name, county, industry code, industry name, 规上, entry year, annual revenue (万元),
# status, cause, cause note, stopped since (month of 2021), measures, responsible
ENTERPRISES = [
    # 成县 (falling)
    ("成县鑫盛水泥有限公司", "621221", "C3011", "水泥制造", True, 2012, 32000, "stopped", "power", "有序用电限产",
     8, "协调电力公司保障错峰用电，争取纳入重点保障名单", "成县副县长 赵某"),
    ("成县宏达铅锌选矿有限公司", "621221", "B0912", "铅锌矿采选", True, 2015, 18500, "partial", "funds",
     "流动资金紧张", 9, "协调银行续贷，申请应急转贷资金", "成县工信局 钱某"),
    ("成县恒远建材有限公司", "621221", "C3021", "水泥制品制造", True, 2018, 6200, "stopped", "orders",
     "下游项目停工，订单不足", 7, "对接重点项目业主单位，拓展销售渠道", "成县工信局 孙某"),
    ("成县陇鑫矿业有限公司", "621221", "B0912", "铅锌矿采选", True, 2010, 26000, "normal", "", "", 0, "",
     "成县工信局 李某"),
    ("成县丰源农产品加工有限公司", "621221", "C1371", "蔬菜加工", False, None, 1650, "normal", "", "", 0, "",
     "成县工信局 周某"),
    # 徽县 (falling)
    ("徽县金山水泥有限公司", "621227", "C3011", "水泥制造", True, 2011, 28000, "stopped", "epidemic",
     "疫情防控期间物流受阻、施工停滞", 8, "逐户协调疫情防控期间原料和产品运输通行", "徽县副县长 吴某"),
    ("徽县博源有色金属冶炼有限公司", "621227", "C3212", "铅锌冶炼", True, 2009, 45000, "stopped", "materials",
     "精矿供应不足", 9, "协调周边矿山保障原料供应", "徽县工信局 郑某"),
    ("徽县嘉禾酿造有限公司", "621227", "C1512", "白酒制造", True, 2016, 9800, "unsold", "orders",
     "经销商去库存，产品积压", 8, "组织参加产销对接会，开拓电商渠道", "徽县商务局 王某"),
    ("徽县宏泰新型建材有限公司", "621227", "C3031", "粘土砖瓦及建筑砌块制造", True, 2019, 4300, "partial",
     "power", "限电", 9, "协调错峰生产", "徽县工信局 冯某"),
    ("徽县银杏树中药材有限公司", "621227", "C2730", "中药饮片加工", False, None, 1780, "normal", "", "", 0, "",
     "徽县工信局 陈某"),
    # 西和县 (falling)
    ("西和县鼎盛建材有限公司", "621225", "C3011", "水泥制造", True, 2013, 15600, "stopped", "funds",
     "资金链断裂", 6, "引入战略投资者，协调债务重组", "西和县副县长 褚某"),
    ("西和县仇池食品有限公司", "621225", "C1495", "食品及饲料添加剂制造", True, 2017, 3800, "unsold",
     "epidemic", "疫情影响外地市场销售", 8, "对接消费帮扶平台，组织直播带货", "西和县商务局 卫某"),
    ("西和县恒丰矿业有限公司", "621225", "B0912", "铅锌矿采选", True, 2014, 12800, "partial", "labour",
     "井下作业人员短缺", 9, "开展招聘对接，落实稳岗补贴", "西和县工信局 蒋某"),
    ("西和县晚霞湖农业开发有限公司", "621225", "C1371", "蔬菜加工", False, None, 1560, "normal", "", "", 0, "",
     "西和县工信局 沈某"),
    # 两当县 (falling)
    ("两当县金源矿业有限公司", "621228", "B0921", "金矿采选", True, 2012, 14200, "stopped", "power",
     "供电线路检修、限电", 8, "协调供电部门加快线路改造", "两当县副县长 韩某"),
    ("两当县云屏新型建材有限公司", "621228", "C3031", "粘土砖瓦及建筑砌块制造", True, 2020, 2600, "stopped",
     "orders", "订单不足", 9, "对接县内在建项目", "两当县工信局 杨某"),
    ("两当县灵官峡矿业有限公司", "621228", "B0912", "铅锌矿采选", True, 2016, 5600, "unsold", "orders",
     "精矿销售受阻", 9, "协调下游冶炼企业收购", "两当县工信局 朱某"),
    # the other counties: mostly normal
    ("武都区金桥油橄榄开发有限公司", "621202", "C1331", "食用植物油加工", True, 2014, 16800, "normal", "", "",
     0, "", "武都区工信局 秦某"),
    ("武都区万象中药材有限公司", "621202", "C2730", "中药饮片加工", True, 2018, 7200, "partial", "materials",
     "原材料价格上涨", 9, "协调中药材基地稳定供货", "武都区工信局 尤某"),
    ("武都区白龙江水电开发有限公司", "621202", "D4413", "水力发电", True, 2008, 21000, "normal", "", "", 0, "",
     "武都区发改局 许某"),
    ("陇南暖山农业科技有限公司", "621202", "C1371", "蔬菜加工", False, None, 1880, "normal", "", "", 0,
     "纳入升规培育库，市工信局、市统计局跟踪服务", "武都区工信局 何某"),
    ("武都区花椒产业开发有限公司", "621202", "C1469", "其他调味品、发酵制品制造", False, None, 2080, "normal", "",
     "", 0, "", "武都区工信局 吕某"),
    ("文县碧口茶业有限公司", "621222", "C1530", "精制茶加工", True, 2015, 4200, "normal", "", "", 0, "",
     "文县工信局 施某"),
    ("文县天池纹党加工有限公司", "621222", "C2730", "中药饮片加工", True, 2019, 3100, "unsold", "orders",
     "收购商压价，暂停销售", 9, "组织参加药博会，对接药企", "文县商务局 张某"),
    ("文县汇鑫水电有限公司", "621222", "D4413", "水力发电", True, 2010, 8600, "normal", "", "", 0, "",
     "文县发改局 孔某"),
    ("宕昌县岷江中药材加工有限公司", "621223", "C2730", "中药饮片加工", True, 2016, 5400, "normal", "", "", 0,
     "", "宕昌县工信局 曹某"),
    ("宕昌县哈达铺食品有限公司", "621223", "C1495", "食品及饲料添加剂制造", False, None, 1620, "normal", "", "",
     0, "", "宕昌县工信局 严某"),
    ("康县阳坝茶业有限公司", "621224", "C1530", "精制茶加工", True, 2017, 3600, "normal", "", "", 0, "",
     "康县工信局 华某"),
    ("康县木耳产业开发有限公司", "621224", "C1371", "蔬菜加工", False, None, 1710, "normal", "", "", 0, "",
     "康县工信局 金某"),
    ("礼县苹果产业开发有限公司", "621226", "C1371", "蔬菜加工", True, 2018, 6800, "normal", "", "", 0, "",
     "礼县工信局 魏某"),
    ("礼县秦皇酒业有限公司", "621226", "C1512", "白酒制造", True, 2013, 5200, "normal", "", "", 0, "",
     "礼县工信局 陶某"),
    ("礼县中药材交易加工有限公司", "621226", "C2730", "中药饮片加工", False, None, 980, "normal", "", "", 0, "",
     "礼县工信局 姜某"),
]


def _monthly(annual: float, status: str, since: int, index: int) -> list[tuple[int, int, Decimal, Decimal]]:
    """(year, month, revenue, output) for MONTHS: a seasonal profile, with the
    production status taking effect from month ``since`` of 2021."""
    base = annual / 12
    out = []
    for year, month in MONTHS:
        wobble = 1 + ((index * 7 + month * 3) % 9 - 4) / 100  # ±4%, deterministic
        revenue = output = base * SEASON[month - 1] * wobble
        output *= 1.04
        if year == 2021 and since and month >= since:
            if status == "stopped":
                revenue = output = 0.0
            elif status == "partial":
                revenue, output = revenue * 0.45, output * 0.45
            elif status == "unsold":
                revenue, output = revenue * 0.05, output * 0.8
        out.append((year, month, Decimal(f"{revenue:.2f}"), Decimal(f"{output:.2f}")))
    return out


def load_demo(users) -> dict:
    user = users["admin"]
    gxj = Department.objects.get(code="gxj")
    regions = {r.code: r for r in Region.objects.filter(code__in={e[1] for e in ENTERPRISES})}
    count = months = 0
    for index, (name, county, code, industry, above, year, annual, status, cause, note, since, measures,
                responsible) in enumerate(ENTERPRISES):
        ent = Enterprise(
            credit_code=make_credit_code(county, f"MA7{index + 1:05d}"), name=name, region=regions[county],
            department=gxj, industry_code=code, industry_name=industry, above_scale=above, scale_year=year,
            status=status, cause=cause, cause_note=note if cause else "", measures=measures,
            responsible=responsible, note="" if cause else note,
        )
        write_path.create_record(user, ent, reason=REASON, source="demo")
        count += 1
        for y, m, revenue, output in _monthly(annual, status, since, index):
            write_path.save_child(user, ent, EnterpriseMonth(enterprise=ent, year=y, month=m, revenue=revenue,
                                                          output=output), reason=REASON, source="demo")
            months += 1
    return {"enterprises": count, "enterprise_months": months}
