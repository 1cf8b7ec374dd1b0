"""Demo chains and parks (演示数据): six key chains under 链长制 with their
enterprises (linked to the enterprise ledger where they are in it), and the
twelve 百亿产业园区/集群 the speech names with their plan status and deadlines
("今年*月中旬前完成编制任务": 2021-12-15 in the demo)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from diaodu.core import write_path
from diaodu.enterprises.models import Enterprise
from diaodu.industry.models import ChainEnterprise, IndustryChain, Park
from diaodu.org.models import Department, Region

REASON = "演示数据"
YEAR = 2021
PLAN_DEADLINE = dt.date(2021, 12, 15)

# code, name, chief, department, task force, target, actual (1-10月), projects, deals, plan
CHAINS = [
    ("olive", "油橄榄产业链", "市长 王某", "nyj", "市农业农村局 李某、市工信局 张某、武都区 赵某、文县 钱某",
     60, 41.5, "2021-621202-13-03-000201、2021-621222-13-03-000202", "（演示）油橄榄精深加工项目 在谈",
     "扩大种植基地，发展橄榄油精深加工、化妆品和保健品，培育链主企业上市"),
    ("herbs", "中药材产业链", "常务副市长 李某", "gxj", "市工信局 周某、市农业农村局 吴某、宕昌县 郑某、文县 王某",
     80, 56.2, "2021-621223-27-03-000203", "（演示）中药配方颗粒生产线 签约",
     "建设道地药材基地，延伸饮片、提取物和配方颗粒"),
    ("metals", "有色金属产业链", "副市长 张某", "gxj", "市工信局 冯某、市自然资源局 陈某、成县 褚某、徽县 卫某、西和县 蒋某",
     150, 88.0, "2021-621221-32-03-000204、2021-621227-32-03-000205", "",
     "保障矿山采选与冶炼衔接，推进冶炼技改和资源综合利用"),
    ("building", "建材产业链", "副市长 赵某", "gxj", "市工信局 沈某、市住建局 韩某、成县 杨某、徽县 朱某",
     70, 39.8, "", "", "稳定水泥熟料产能，发展装配式建材"),
    ("food", "食品和酿造产业链", "副市长 钱某", "gxj", "市工信局 秦某、市商务局 尤某、徽县 许某、礼县 何某",
     45, 30.1, "2021-621227-15-03-000206", "（演示）白酒酿造产业园 在谈", "做强白酒酿造，发展特色农产品加工"),
    ("tourism", "文旅康养产业链", "副市长 孙某", "wlj", "市文旅局 吕某、康县 施某、文县 张某、宕昌县 孔某",
     120, 92.4, "2021-621224-78-03-000207", "", "打造文旅康养精品线路，发展乡村旅游和康养服务"),
]

# chain, name, in-ledger enterprise name (or None), segment, leader, product, supplies to, projects
MEMBERS = [
    ("olive", "（演示）油橄榄种植合作社联合体", None, "up", False, "油橄榄鲜果", "武都区金桥油橄榄开发有限公司", ""),
    ("olive", "武都区金桥油橄榄开发有限公司", "武都区金桥油橄榄开发有限公司", "mid", True, "特级初榨橄榄油", "", "2021-621202-13-03-000201"),
    ("olive", "（演示）橄榄油化妆品有限公司", None, "down", False, "橄榄油护肤品", "", ""),
    ("olive", "（演示）陇南电商物流有限公司", None, "down", False, "电商销售与冷链", "", ""),
    ("herbs", "（演示）纹党种植基地", None, "up", False, "纹党参", "文县天池纹党加工有限公司", ""),
    ("herbs", "文县天池纹党加工有限公司", "文县天池纹党加工有限公司", "mid", False, "纹党饮片", "宕昌县岷江中药材加工有限公司", ""),
    ("herbs", "宕昌县岷江中药材加工有限公司", "宕昌县岷江中药材加工有限公司", "mid", True, "中药饮片", "", "2021-621223-27-03-000203"),
    ("herbs", "武都区万象中药材有限公司", "武都区万象中药材有限公司", "mid", False, "红芪饮片", "", ""),
    ("herbs", "徽县银杏树中药材有限公司", "徽县银杏树中药材有限公司", "mid", False, "银杏叶提取", "", ""),
    ("herbs", "（演示）某制药集团（省外）", None, "down", False, "中成药", "", ""),
    ("metals", "成县陇鑫矿业有限公司", "成县陇鑫矿业有限公司", "up", False, "铅锌精矿", "徽县博源有色金属冶炼有限公司", ""),
    ("metals", "成县宏达铅锌选矿有限公司", "成县宏达铅锌选矿有限公司", "up", False, "铅锌精矿", "徽县博源有色金属冶炼有限公司", ""),
    ("metals", "西和县恒丰矿业有限公司", "西和县恒丰矿业有限公司", "up", False, "铅锌精矿", "徽县博源有色金属冶炼有限公司", ""),
    ("metals", "两当县灵官峡矿业有限公司", "两当县灵官峡矿业有限公司", "up", False, "铅锌精矿", "徽县博源有色金属冶炼有限公司", ""),
    ("metals", "徽县博源有色金属冶炼有限公司", "徽县博源有色金属冶炼有限公司", "mid", True, "电解铅、电解锌", "", "2021-621227-32-03-000205"),
    ("metals", "（演示）有色金属深加工有限公司", None, "down", False, "锌合金", "", "2021-621221-32-03-000204"),
    ("building", "成县鑫盛水泥有限公司", "成县鑫盛水泥有限公司", "mid", True, "水泥熟料", "成县恒远建材有限公司", ""),
    ("building", "徽县金山水泥有限公司", "徽县金山水泥有限公司", "mid", True, "水泥", "", ""),
    ("building", "西和县鼎盛建材有限公司", "西和县鼎盛建材有限公司", "mid", False, "水泥", "", ""),
    ("building", "成县恒远建材有限公司", "成县恒远建材有限公司", "down", False, "水泥制品", "", ""),
    ("building", "徽县宏泰新型建材有限公司", "徽县宏泰新型建材有限公司", "down", False, "新型墙材", "", ""),
    ("building", "两当县云屏新型建材有限公司", "两当县云屏新型建材有限公司", "down", False, "砌块", "", ""),
    ("food", "（演示）酿酒高粱种植基地", None, "up", False, "高粱", "徽县嘉禾酿造有限公司", ""),
    ("food", "徽县嘉禾酿造有限公司", "徽县嘉禾酿造有限公司", "mid", True, "白酒", "", "2021-621227-15-03-000206"),
    ("food", "礼县秦皇酒业有限公司", "礼县秦皇酒业有限公司", "mid", False, "白酒", "", ""),
    ("food", "陇南暖山农业科技有限公司", "陇南暖山农业科技有限公司", "mid", False, "脱水蔬菜", "", ""),
    ("food", "武都区花椒产业开发有限公司", "武都区花椒产业开发有限公司", "mid", False, "花椒调味品", "", ""),
    ("food", "西和县仇池食品有限公司", "西和县仇池食品有限公司", "mid", False, "半夏、山药食品", "", ""),
    ("food", "（演示）陇南电商物流有限公司", None, "down", False, "电商销售与冷链", "", ""),
    ("tourism", "（演示）康县阳坝景区管理有限公司", None, "mid", True, "景区运营", "", "2021-621224-78-03-000207"),
    ("tourism", "康县阳坝茶业有限公司", "康县阳坝茶业有限公司", "up", False, "茶叶", "（演示）康县阳坝景区管理有限公司", ""),
    ("tourism", "（演示）官鹅沟景区管理有限公司", None, "mid", False, "景区运营", "", ""),
    ("tourism", "（演示）乡村民宿合作联社", None, "down", False, "民宿", "", ""),
]

# code, name, kind, plan status, lead department, lead unit, host county, financing entity, output target
PARKS = [
    ("olive-city", "橄榄新城", "park", "improve", "zjj", "", "621202", "（演示）市城投集团", 100),
    ("vocational", "职教科创园", "park", "improve", "fgw", "市教育局", "621202", "（演示）市城投集团", 100),
    ("olive-belt", "油橄榄百亿产业带", "belt", "mature", "nyj", "", "621202", "（演示）市农业投资公司", 100),
    ("tcm-pharma", "中医生物制药百亿产业集群", "cluster", "mature", "gxj", "", None, "（演示）市工业投资公司", 100),
    ("nonferrous", "有色金属冶炼百亿产业集群", "cluster", "mature", "gxj", "", "621227", "（演示）市工业投资公司", 150),
    ("wellness", "文旅康养百亿产业带", "belt", "mature", "wlj", "", None, "（演示）市文旅集团", 100),
    ("nonmetal", "非金属百亿矿产集群", "cluster", "improve", "zrzyj", "", None, "（演示）市矿业开发公司", 100),
    ("new-energy", "新能源百亿产业", "other", "improve", "fgw", "", None, "（演示）市能源投资公司", 100),
    ("dev-zone", "开发区百亿园区", "park", "mature", "gyw", "", "621221", "（演示）开发区建设投资公司", 100),
    ("villages", "美丽乡村建设", "other", "improve", "xczxj", "", None, "（演示）市乡村振兴投资公司", 100),
    ("liquor", "白酒酿造百亿产业园", "park", "new", "gxj", "", "621227", "（演示）徽县城投公司", 100),
    ("qin-culture", "先秦文化百亿产业园", "park", "new", "wlj", "", "621226", "（演示）礼县文旅投资公司", 100),
]


def load_demo(users) -> dict:
    user = users["admin"]
    departments = {d.code: d for d in Department.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    enterprises = {e.name: e for e in Enterprise.objects.all()}
    chains = {}
    for code, name, chief, dept, task_force, target, actual, projects, deals, plan in CHAINS:
        chains[code] = write_path.create_record(user, IndustryChain(
            code=code, name=name, chief=chief, department=departments[dept], task_force=task_force, year=YEAR,
            output_target=Decimal(str(target)), output_actual=Decimal(str(actual)), as_of_month=10, project_codes=projects, deals=deals,
            plan=plan, responsible=task_force.split("、")[0]), reason=REASON, source="demo")
    for chain, name, ledger_name, segment, leader, product, supplies, projects in MEMBERS:
        write_path.save_child(user, chains[chain], ChainEnterprise(
            chain=chains[chain], name=name, enterprise=enterprises.get(ledger_name) if ledger_name else None,
            segment=segment, is_leader=leader, product=product, supplies_to=supplies, project_codes=projects),
            reason=REASON, source="demo")
    for code, name, kind, status, dept, lead, county, financing, target in PARKS:
        write_path.create_record(user, Park(
            code=code, name=name, kind=kind, plan_status=status, department=departments[dept], lead_unit=lead,
            region=regions.get(county) if county else None, financing_entity=financing,
            plan_deadline=None if status == "mature" else PLAN_DEADLINE,
            plan_done_on=dt.date(2021, 10, 20) if status == "mature" else None, output_target=target,
            note=REASON), reason=REASON, source="demo")
    return {"chains": len(CHAINS), "chain_members": len(MEMBERS), "parks": len(PARKS)}
