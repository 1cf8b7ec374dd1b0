"""Demo project ledgers (演示数据), consistent with the demo figures.

About 300 key projects over the 9 counties, their monthly progress 2021-02 … 2021-10, the
2021 集中开工 batches, next year's reserve and the major infrastructure projects in 前期.
Deterministic: every draw comes from a generator seeded by (SEED, county code).

Consistency with the figures (the rule the tests check): for each county and each month m,
the year-to-date investment completed by its projects *entered in the statistics* (已入库) is
``FAI_SHARE[county]`` × the county's published 固定资产投资 1-m月 (亿元), to the 万元. Projects not
yet entered (the speech's "尚未纳入统计的在建项目") and projects below 500 万元 report
investment outside that share: entering them is what would raise the figure.

The story (the speech's second and third sections): a 2021年四季度集中开工 batch (12 October) of
which several projects report nothing since; earlier batches with idle projects ("一开了之、久无
动静"); projects due to start but held up by 征地拆迁, 资金, 手续, 政策; 西和县 and 礼县 start
fewest of their planned projects; 宕昌县 and 两当县 complete the least of their annual plans.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

import numpy as np

from diaodu.core import write_path
from diaodu.core.numbers import WAN, split_amount, to_wan
from diaodu.org.home import home_code
from diaodu.org.models import Department, Region
from diaodu.projects.models import (
    Category,
    Industry,
    InfraKind,
    InfraProject,
    Milestone,
    Obstacle,
    ProgressReport,
    Project,
    ProjectList,
    ReserveProject,
    ReserveStatus,
    Stage,
    StartBatch,
    StatsStatus,
)

SEED = 20211029
YEAR, LAST_MONTH = 2021, 10
TOTAL_PROJECTS = 300
REASON = "演示数据"

# Share of the county's 固定资产投资 covered by its ledger's entered projects.
FAI_SHARE = {"621202": 0.74, "621221": 0.71, "621222": 0.76, "621223": 0.68, "621224": 0.72,
             "621225": 0.70, "621226": 0.73, "621227": 0.69, "621228": 0.66}
# Counties that start few of their planned projects (开工率 ranks low) …
LOW_START = {"621225", "621226"}
# … and counties that complete little of their annual plans (投资完成率 ranks low).
LOW_COMPLETION = {"621223", "621228"}

BATCHES = [
    ("2021年一季度集中开工", dt.date(2021, 3, 18)),
    ("2021年二季度集中开工", dt.date(2021, 5, 20)),
    ("2021年三季度集中开工", dt.date(2021, 8, 18)),
    ("2021年四季度集中开工", dt.date(2021, 10, 12)),
]
LISTS = [
    ("build", "三个清单：建设项目清单", "年内在建的重点项目"),
    ("prepare", "三个清单：前期项目清单", "年内推进前期工作、力争开工的项目"),
    ("reserve", "三个清单：储备项目清单", "谋划储备、争取进入国省计划的项目"),
    ("provincial", "省列重大项目清单", "列入省列重大项目的项目"),
]

THINGS = {
    Industry.INFRASTRUCTURE: ["城区道路提升改造工程", "农村公路建设工程", "供水管网改造工程", "污水处理厂提标改造工程",
                              "物流园区基础设施工程", "县乡道改建工程", "城乡供水一体化工程", "停车场建设工程"],
    Industry.INDUSTRY: ["油橄榄精深加工项目", "中药材产业园建设项目", "有色金属冶炼技改项目", "核桃精深加工项目",
                        "花椒交易市场建设项目", "食用菌产业园项目", "新型建材生产线项目", "茶叶加工厂建设项目"],
    Industry.LIVELIHOOD: ["人民医院住院综合楼项目", "职业中学实训楼项目", "保障性租赁住房项目", "养老服务中心项目",
                          "中小学校舍改扩建项目", "灾后恢复重建安置点项目", "疾控中心业务楼项目"],
    Industry.ECOLOGY: ["河道综合治理工程", "地质灾害综合治理工程", "生态修复项目", "垃圾无害化处理项目"],
    Industry.URBAN: ["老旧小区改造项目", "城市更新项目", "美丽乡村建设项目", "集镇综合整治项目"],
    Industry.OTHER: ["应急物资储备库项目", "消防救援站建设项目", "智慧城市平台项目"],
    Industry.TOURISM: ["景区提升改造项目", "文旅康养综合体项目", "红色旅游基础设施项目", "乡村旅游示范村项目"],
}
PLACES = ["城关", "东江", "汉王", "两水", "安化", "角弓", "甘泉", "马街", "临江", "碧口", "黄渚", "江洛",
          "陈院", "抛沙", "城北", "新区", "南河", "峪门", "广坪", "长坝"]
OBSTACLE_TEXT = {
    Obstacle.LAND: ("征地拆迁未完成，涉及农户尚未签订补偿协议", "请县政府协调乡镇加快征地拆迁"),
    Obstacle.FUNDING: ("项目资本金未落实，专项债券尚未发行", "请市财政局协调专项债券发行和资本金筹措"),
    Obstacle.APPROVAL: ("用地预审、环评手续尚在办理", "请市自然资源局、市生态环境局加快审批"),
    Obstacle.POLICY: ("受国家产业政策调整影响，项目需重新论证", "请主要领导进京赴省汇报争取政策支持"),
    Obstacle.OTHER: ("施工单位招标流标，需重新组织招标", "请县公共资源交易中心加快重新招标"),
}
LEADER_TITLES = ["{u}委书记", "{u}长", "常务副{u}长", "{u}委副书记", "分管副{u}长"]


def _rng(*keys) -> np.random.Generator:
    return np.random.default_rng([SEED, *(zlib.crc32(str(k).encode()) for k in keys)])


def fai_by_month(county_codes) -> dict[str, dict[int, Decimal]]:
    """The published 固定资产投资 1-m月 of each county in 2021 (亿元)."""
    from diaodu.indicators.models import Observation

    out: dict[str, dict[int, Decimal]] = {c: {} for c in county_codes}
    for region, month, value in Observation.objects.filter(
            indicator__code="fai", year=YEAR, month__lte=LAST_MONTH, region_id__in=county_codes,
            published_value__isnull=False).values_list("region_id", "month", "published_value"):
        out[region][month] = Decimal(str(value))
    return out


def entered_share_target(fai: dict[int, Decimal], share: float) -> dict[int, Decimal]:
    """The entered projects' 1-m月 completion the demo aims at, per month."""
    return {m: (v * Decimal(str(share))).quantize(WAN) for m, v in fai.items()}


def _counts(fai_oct: dict[str, Decimal]) -> dict[str, int]:
    total = sum(fai_oct.values())
    counts = {c: max(14, int(round(float(v / total) * TOTAL_PROJECTS))) for c, v in fai_oct.items()}
    biggest = max(counts, key=counts.get)
    counts[biggest] += TOTAL_PROJECTS - sum(counts.values())
    return counts


class _Namer:
    def __init__(self):
        self.seen: set[str] = set()

    def __call__(self, rng, region: Region, industry: str) -> str:
        for _ in range(50):
            name = f"{region.name}{PLACES[rng.integers(len(PLACES))]}{THINGS[industry][rng.integers(len(THINGS[industry]))]}"
            if name not in self.seen:
                self.seen.add(name)
                return name
        name = f"{name[:-2]}（{len(self.seen)}期）项目"
        self.seen.add(name)
        return name


def load_demo(users) -> dict:
    """Create the demo project ledgers through the write path (市发改委's clerk); returns counts."""
    actor = users["fgw"]
    fgw = Department.objects.get(code="fgw")
    lists = {code: ProjectList.objects.get_or_create(code=code, defaults={"name": name, "description": desc,
                                                                          "order": i})[0]
             for i, (code, name, desc) in enumerate(LISTS)}
    batches = [StartBatch.objects.get_or_create(name=name, defaults={"date": date,
                                                                     "region_id": home_code(),
                                                                     "note": REASON})[0]
               for name, date in BATCHES]
    regions = list(Region.objects.filter(parent_id=home_code(),
                                         level=Region.Level.COUNTY).order_by("code"))
    fai = fai_by_month([r.code for r in regions])
    counts = _counts({c: fai[c][LAST_MONTH] for c in fai})
    namer = _Namer()
    serial = 0
    planned: list[tuple[Project, list, dict]] = []
    for region in regions:
        rng = _rng("projects", region.code)
        plans = _plan_county(rng, region, counts[region.code], batches)
        _complete_amounts(rng, region, plans, entered_share_target(fai[region.code], FAI_SHARE[region.code]))
        unit = "区" if region.name.endswith("区") else "县"
        for plan in plans:
            serial += 1
            industry = plan["industry"]
            category = plan["category"]
            project = Project(
                code=f"2021-{region.code}-{['48', '47', '49', '50', '51', '52', '53'][list(Industry.values).index(industry)]}"
                     f"-01-{serial:06d}",
                name=namer(rng, region, industry), region=region,
                department=fgw if category.startswith("prov") else None,
                responsible=f"{region.short_name}项目办",
                category=category, industry=industry,
                leader=f"{region.short_name}{LEADER_TITLES[rng.integers(len(LEADER_TITLES))].format(u=unit)}",
                stage=plan["stage"], planned_start=plan["planned_start"], actual_start=plan["actual_start"],
                batch=plan["batch"], stats_status=plan["stats_status"], stats_deadline=plan.get("stats_deadline"),
                note=REASON, **_money_fields(rng, plan),
            )
            if plan.get("obstacle"):
                project.obstacle = plan["obstacle"]
                project.obstacle_note, project.help_requested = OBSTACLE_TEXT[plan["obstacle"]]
            member = [lists[{"planning": "reserve", "preparing": "prepare"}.get(plan["stage"], "build")]]
            if category.startswith("prov"):
                member.append(lists["provincial"])
            planned.append((project, member, plan))
    totals = _create_projects(actor, planned)
    totals.update(_load_reserve(actor, regions, fgw))
    return totals


def _create_projects(actor, planned) -> dict:
    """Write the planned projects, their list membership and monthly reports in
    batches through the ledger write path (a record per row would take a minute)."""
    projects = write_path.bulk_create_records(actor, [p for p, _, _ in planned], reason=REASON, source="demo")
    Membership = Project.lists.through
    Membership.objects.bulk_create(
        [Membership(project_id=project.pk, projectlist_id=lst.pk)
         for project, (_, member, _) in zip(projects, planned, strict=True) for lst in member]
    )
    reports = []
    for project, (_, _, plan) in zip(projects, planned, strict=True):
        ytd = Decimal("0")
        for month, amount in sorted(plan["months"].items()):
            if amount is None:
                continue
            amount = Decimal(str(amount))
            ytd += amount
            text = "未复工，现场无施工" if amount == 0 else "按计划推进，完成主体工程量的一部分"
            reports.append(ProgressReport(project=project, year=YEAR, month=month, region_id=project.region_id,
                                          department_id=project.department_id, responsible=project.responsible,
                                          completed_month=amount, completed_ytd=ytd, physical_progress=text))
    write_path.bulk_create_records(actor, reports, reason=REASON, source="demo")
    return {"projects": len(projects), "progress_reports": len(reports)}


def _plan_county(rng, region: Region, n: int, batches) -> list[dict]:
    """The county's projects as plans: stage, dates, batch, statistics status."""
    not_started = max(2, round(n * (0.16 if region.code in LOW_START else 0.07)))
    planning = max(1, round(n * 0.03))
    q4 = max(2, round(n * 0.07))
    unstatted = max(1, round(n * 0.04))
    small = 1
    completed = max(1, round(n * 0.06))
    earlier_batch = max(3, round(n * 0.12))
    new_other = max(2, round(n * 0.14))
    continuing = n - (not_started + planning + q4 + unstatted + small + completed + earlier_batch + new_other)
    plans = []

    def plan(**kw):
        kw.setdefault("industry", Industry.values[rng.choice(7, p=[.3, .22, .18, .08, .1, .08, .04])])
        kw.setdefault("category", Category.values[rng.choice(5, p=[.04, .04, .02, .2, .7])])
        kw.setdefault("batch", None)
        kw.setdefault("stats_status", StatsStatus.ENTERED)
        kw.setdefault("idle", False)
        kw.setdefault("months", {})
        plans.append(kw)

    for _ in range(continuing):
        start = dt.date(int(rng.choice([2019, 2020])), int(rng.integers(3, 12)), int(rng.integers(1, 28)))
        plan(stage=Stage.CONTINUING, planned_start=start, actual_start=start, active_from=2,
             category=Category.values[rng.choice(5, p=[.08, 0, 0, .22, .7])])
    for _ in range(completed):
        start = dt.date(2020, int(rng.integers(3, 10)), int(rng.integers(1, 28)))
        plan(stage=Stage.COMPLETED, planned_start=start, actual_start=start, active_from=2,
             active_to=int(rng.integers(6, 10)))
    for i in range(earlier_batch):
        batch = batches[i % 3]
        idle = i % 4 == 3  # one in four of the earlier batches' projects idle since
        plan(stage=Stage.NEW, planned_start=batch.date, actual_start=batch.date, batch=batch,
             active_from=batch.date.month, idle=idle,
             category=Category.values[rng.choice(5, p=[0, .1, 0, .25, .65])])
    for _ in range(new_other):
        start = dt.date(YEAR, int(rng.integers(3, 10)), int(rng.integers(1, 28)))
        plan(stage=Stage.NEW, planned_start=start, actual_start=start, active_from=start.month)
    for i in range(q4):
        batch = batches[3]
        plan(stage=Stage.NEW, planned_start=batch.date, actual_start=batch.date, batch=batch,
             active_from=10, idle=i % 2 == 0, category=Category.values[rng.choice(5, p=[0, .15, 0, .25, .6])])
    deadlines = [dt.date(2021, 11, 15), dt.date(2021, 11, 30), dt.date(2021, 12, 15), dt.date(2021, 10, 31)]
    for i in range(unstatted):
        start = dt.date(YEAR, int(rng.integers(4, 9)), int(rng.integers(1, 28)))
        plan(stage=Stage.NEW, planned_start=start, actual_start=start, active_from=start.month, outside=True,
             stats_status=[StatsStatus.NOT_ENTERED, StatsStatus.IN_PROGRESS][i % 2],
             stats_deadline=deadlines[(i + int(region.code)) % len(deadlines)])
    for _ in range(small):
        start = dt.date(YEAR, int(rng.integers(4, 9)), int(rng.integers(1, 28)))
        plan(stage=Stage.NEW, planned_start=start, actual_start=start, active_from=start.month, outside=True,
             small=True, stats_status=StatsStatus.NOT_ENTERED, category=Category.COUNTY)
    obstacles = [Obstacle.LAND, Obstacle.FUNDING, Obstacle.APPROVAL, Obstacle.POLICY, Obstacle.OTHER]
    for i in range(not_started):
        planned = dt.date(YEAR, int(rng.integers(3, 10)), int(rng.integers(1, 28)))
        plan(stage=Stage.PREPARING, planned_start=planned, actual_start=None,
             obstacle=obstacles[(i + int(region.code)) % len(obstacles)], stats_status=StatsStatus.NOT_ENTERED)
    for _ in range(planning):
        plan(stage=Stage.PLANNING, planned_start=dt.date(YEAR + 1, int(rng.integers(3, 7)), 1), actual_start=None,
             stats_status=StatsStatus.NOT_ENTERED, category=Category.COUNTY)
    return plans


def _complete_amounts(rng, region, plans, target: dict[int, Decimal]) -> None:
    """Fill each plan's monthly completions: the entered projects' total follows ``target``
    exactly; the others get their own small amounts; then set each annual plan."""
    low = region.code in LOW_COMPLETION
    for p in plans:
        p["weight"] = float(rng.lognormal(0, 0.8)) * (1.6 if p["stage"] == Stage.CONTINUING else 1.0)
    previous = Decimal("0")
    for month in range(2, LAST_MONTH + 1):
        increment = target[month] - previous
        previous = target[month]
        active = [p for p in plans if p["stage"] in (Stage.NEW, Stage.CONTINUING, Stage.COMPLETED)
                  and not p.get("outside") and not p["idle"]
                  and p["active_from"] <= month <= p.get("active_to", 12)]
        for p, amount in zip(active, split_amount(increment, [p["weight"] for p in active]), strict=True):
            p["months"][month] = amount
    for p in plans:
        if p["stage"] not in (Stage.NEW, Stage.CONTINUING, Stage.COMPLETED):
            continue
        if p.get("outside"):
            size = 0.002 if p.get("small") else 0.05
            for month in range(p["active_from"], LAST_MONTH + 1):
                p["months"][month] = to_wan(rng.uniform(size, size * 4))
        elif p["idle"]:
            # Idle since the batch: the odd project reports zero, the others report nothing.
            if rng.random() < 0.5:
                for month in range(p["active_from"], LAST_MONTH + 1):
                    p["months"][month] = Decimal("0")
        ytd = sum(p["months"].values(), Decimal("0"))
        factor = rng.uniform(0.6, 1.1) if low else rng.uniform(0.9, 1.4)
        if p["idle"] or ytd == 0:
            p["annual_plan"] = to_wan(rng.uniform(0.3, 2.0))
        elif p["stage"] == Stage.COMPLETED:
            p["annual_plan"] = ytd
        else:
            # The plan the project would have met at the 序时 pace, over the factor (< 1 = behind).
            elapsed = LAST_MONTH - p["active_from"] + 1
            p["annual_plan"] = to_wan(float(ytd) / elapsed * (12 - p["active_from"] + 1) / factor)
    for p in plans:
        if p["stage"] == Stage.PREPARING:
            p["annual_plan"] = to_wan(rng.uniform(0.2, 1.5))
        elif p["stage"] == Stage.PLANNING:
            p["annual_plan"] = Decimal("0")


def _money_fields(rng, plan) -> dict:
    annual = plan["annual_plan"]
    if plan.get("small"):
        total = to_wan(rng.uniform(0.02, 0.045))
        annual = min(annual, total)
    else:
        total = max(to_wan(float(annual) * rng.uniform(1.3, 5.0)), to_wan(rng.uniform(0.3, 1.0)))
        if plan["category"].startswith("prov"):
            total = max(total, to_wan(rng.uniform(5, 20)))
    shares = rng.dirichlet([1.0, 1.0, 1.2, 2.0, 1.0])
    if plan["category"] == Category.COUNTY:
        shares[0] = 0
    parts = split_amount(total, [float(s) for s in shares])
    bond = parts[2]
    return {"total_investment": total, "annual_plan": annual, "fund_central": parts[0],
            "fund_provincial": parts[1], "bond_amount": bond, "bond_spent": to_wan(float(bond) * rng.uniform(0.2, 1.0)),
            "fund_self": parts[3], "fund_loan": parts[4]}


RESERVE_THINGS = ["城乡供水保障工程", "职业教育产教融合项目", "油橄榄百亿产业带基础设施项目", "中医药产业园标准化厂房项目",
                  "县城污水管网改造项目", "冷链物流中心项目", "光伏发电项目", "抽水蓄能电站前期项目",
                  "老旧小区改造项目", "应急物资储备库项目", "农村公路安防工程", "数字乡村建设项目"]
INFRA = [
    ("兰渝高铁陇南段", InfraKind.RAILWAY, 320.0, "线路方案研究", None),
    ("兰汉高铁陇南段", InfraKind.RAILWAY, 280.0, "预可行性研究", None),
    ("阳平关至九寨沟铁路", InfraKind.RAILWAY, 410.0, "可行性研究", "621222"),
    ("西和至宕昌高速公路", InfraKind.EXPRESSWAY, 168.0, "初步设计审批", "621225"),
    ("两水至九寨沟高速公路", InfraKind.EXPRESSWAY, 236.0, "工可批复", "621222"),
    ("成县至天水高速公路", InfraKind.EXPRESSWAY, 142.0, "工可编制", "621221"),
    ("余家湾至凡昌高速公路", InfraKind.EXPRESSWAY, 98.0, "工可编制", "621227"),
    ("康县至宁强高速公路", InfraKind.EXPRESSWAY, 121.0, "线位方案比选", "621224"),
    ("两当至天水高速公路", InfraKind.EXPRESSWAY, 104.0, "线位方案比选", "621228"),
    ("白龙江文县碧口至罐子沟水运工程", InfraKind.WATERWAY, 18.5, "工可编制", "621222"),
    ("国家油橄榄基地供水工程", InfraKind.WATER, 12.6, "初步设计", "621202"),
]
MILESTONES = ["项目建议书批复", "工程可行性研究批复", "用地预审与选址意见", "环境影响评价批复", "初步设计批复"]


def _load_reserve(actor, regions, fgw) -> dict:
    """Next year's reserve (about 7 a county) and the major infrastructure projects in 前期."""
    from diaodu.core import write_path

    count = 0
    for region in regions:
        rng = _rng("reserve", region.code)
        for i in range(7):
            status = ReserveStatus.values[rng.choice(4, p=[.35, .35, .2, .1])]
            total = to_wan(rng.uniform(0.5, 15))
            write_path.create_record(actor, ReserveProject(
                code=f"CB2022-{region.code}-{i + 1:03d}",
                name=f"{region.name}{RESERVE_THINGS[(i * 5 + int(region.code)) % len(RESERVE_THINGS)]}",
                region=region, industry=Industry.values[rng.integers(6)],
                stage=[Stage.PLANNING, Stage.PREPARING][i % 2], target_year=YEAR + 1, total_investment=total,
                funding_source=["budget", "bond", "province_plan", "state_plan"][rng.integers(4)],
                funding_sought=to_wan(float(total) * rng.uniform(0.3, 0.8)), status=status,
                submitted_upward=status != ReserveStatus.PLANNING, note=REASON,
            ), reason=REASON, source="demo")
            count += 1
    milestones = 0
    for i, (name, kind, total, phase, county) in enumerate(INFRA):
        infra = write_path.create_record(actor, InfraProject(
            code=f"JC-{i + 1:02d}", name=name, kind=kind, total_investment=to_wan(total), current_phase=phase,
            region_id=county, department=fgw, target_start=dt.date(2022 + i % 3, 6, 30), note=REASON,
        ), reason=REASON, source="demo")
        done = 1 + i % 3
        for j, milestone in enumerate(MILESTONES):
            planned = dt.date(2021, 3, 31) + dt.timedelta(days=120 * j)
            write_path.create_record(actor, Milestone(
                project=infra, name=milestone, planned_date=planned,
                done_date=planned + dt.timedelta(days=10 * (i % 4)) if j < done else None,
                region_id=county, department=fgw,
            ), reason=REASON, source="demo")
            milestones += 1
    return {"reserve_projects": count, "infra_projects": len(INFRA), "infra_milestones": milestones}
