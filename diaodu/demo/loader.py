"""Load the demo data set (演示数据) into the database, once.

Figures and targets go through the same write path as any import
(``diaodu.indicators.actions``), entered and published by the demo
statistics bureau's approver, so the demo has real revisions and records.
"""

from __future__ import annotations

import datetime
import importlib
import math

from django.contrib.auth import get_user_model
from django.db import transaction

from diaodu.demo.accounts import set_demo_password
from diaodu.demo.models import DemoDataset
from diaodu.engine.periods import Period
from diaodu.indicators import actions
from diaodu.indicators.models import PeriodRelease
from diaodu.org.home import home_code
from diaodu.org.models import Department, Profile, Region, Role

DEMO_VERSION = "2021-10"

# username, unit (department code or region code), roles, description
DEMO_USERS = [
    ("admin", "zfb", [Role.ADMIN], "管理员"),
    ("leader", "621200", [Role.LEADER], "领导（市政府）"),
    ("tongji", "tjj", [Role.APPROVE, Role.ENTER], "市统计局 数据审核"),
    ("fgw", "fgw", [Role.ENTER], "市发改委 数据填报"),
    ("zhaoshang", "tzcjj", [Role.ENTER], "市投资促进局 数据填报"),
    ("wudu", "621202", [Role.ENTER], "武都区 数据填报"),
    ("kangxian", "621224", [Role.ENTER], "康县 数据填报"),
    ("shenji", "zfb", [Role.AUDITOR], "审计员（只读审计记录）"),
]


# Each ledger's demo data: a module with ``load_demo(users) -> dict of counts``,
# loaded after the figures (ledgers are consistent with them).
DEMO_LEDGERS: list[str] = [
    "diaodu.projects.demo",
    "diaodu.investment.demo",
    "diaodu.supervision.demo",
    "diaodu.enterprises.demo",
    "diaodu.fiscal.demo",
    "diaodu.industry.demo",
    "diaodu.evaluation.demo",
]


def other_demo_users() -> list[str]:
    """Demo users the ledgers' demo modules created (e.g. the supervising office's clerk)."""
    from diaodu.org.models import Profile

    known = {u for u, _, _, _ in DEMO_USERS}
    return [
        f"{p.user.username}（{p.unit_name}）"
        for p in Profile.objects.select_related("user", "region", "department").order_by("user__username")
        if p.user.username not in known
    ]


def is_loaded() -> bool:
    return DemoDataset.objects.exists()


def _none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def create_users() -> dict:
    User = get_user_model()
    users = {}
    for username, unit, roles, _ in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            set_demo_password(user)
            user.is_staff = username == "admin"
            user.is_superuser = username == "admin"
            user.first_name = {"admin": "管理员", "leader": "市长办公室"}.get(username, "")
            user.save()
        region = Region.objects.filter(code=unit).first()
        department = None if region else Department.objects.get(code=unit)
        Profile.objects.update_or_create(
            user=user, defaults={"region": region, "department": department, "roles": [str(r) for r in roles]}
        )
        users[username] = user
    return users


# 目标责任书 of the home city's main targets (演示数据: the leaders are placeholders).
DEMO_PLEDGES = {
    "gdp": ("王某某", "常务副市长", "fgw", ("tjj", "gxj")),
    "industry_va": ("李某某", "副市长", "gxj", ("tjj",)),
    "fai": ("王某某", "常务副市长", "fgw", ("zjj", "jtj")),
    "retail": ("赵某某", "副市长", "swuj", ()),
    "revenue_general": ("王某某", "常务副市长", "czj", ("swj",)),
}


def demo_responsibilities(targets) -> list:
    home = home_code()
    out = []
    for t in targets.itertuples(index=False):
        pledge = DEMO_PLEDGES.get(t.indicator)
        if t.region != home or pledge is None:
            continue
        leader, post, lead, cos = pledge
        out.append(actions.ResponsibilityInput(
            home, t.indicator, int(t.year), leader, post, lead, cos, f"陇政责〔{int(t.year)}〕1号",
            datetime.date(int(t.year), 2, 20), "演示数据",
        ))
    return out


@transaction.atomic
def load_demo() -> dict:
    """Create the demo users, figures and targets; returns counts."""
    from diaodu.demo.figures import HOME_CITY, generate
    from diaodu.org.setup import setup_city

    setup_city(HOME_CITY)
    users = create_users()
    clerk = users["tongji"]
    data = generate()
    obs = data.observations
    rows = [
        actions.FigureInput(r.region, r.indicator, int(r.year), int(r.month), _none(r.value), _none(r.growth), "")
        for r in obs.itertuples(index=False)
        if _none(r.value) is not None or _none(r.growth) is not None
    ]
    figures = actions.submit_figures(clerk, rows, publish=True, source="demo", reason="演示数据",
                                     official_release=True, accept_warnings=True)
    # The statistics bureau has released every demo period, for the city and (copied from the
    # province's releases) for the other 市州: the demo opens on its last period, 2021年1-10月.
    for year, month in sorted({(row.year, row.month) for row in rows}):
        for scope in (PeriodRelease.Scope.CITY, PeriodRelease.Scope.PROVINCE):
            actions.release_period(clerk, Period(year, month), scope=scope, note="演示数据", source="demo")
    targets = actions.set_targets(
        clerk,
        [
            actions.TargetInput(t.region, t.indicator, int(t.year), _none(t.total), _none(t.growth), t.source,
                                "演示数据")
            for t in data.targets.itertuples(index=False)
        ],
        source="demo",
        reason="演示数据",
    )
    pledges = actions.set_responsibilities(clerk, demo_responsibilities(data.targets), source="demo",
                                           reason="演示数据")
    counts = {"figures": figures.created, "targets": targets.created, "responsibilities": pledges.created,
              "users": len(users)}
    for module_name in DEMO_LEDGERS:
        module = importlib.import_module(module_name)
        counts.update(module.load_demo(users))
    DemoDataset.objects.create(version=DEMO_VERSION)
    return counts
