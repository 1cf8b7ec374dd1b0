"""A small project ledger: two 武都 projects and one 康县 project, written by 市发改委."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from diaodu.projects import actions
from diaodu.projects.models import Project, ProjectList, Stage, StartBatch, StatsStatus


def make_project(user, code, region, **kw) -> Project:
    defaults = dict(name=f"项目{code}", region_id=region, total_investment=Decimal("2"), annual_plan=Decimal("1.2"),
                    stage=Stage.CONTINUING, actual_start=dt.date(2020, 5, 1), planned_start=dt.date(2020, 5, 1),
                    stats_status=StatsStatus.ENTERED)
    defaults.update(kw)
    return actions.create_project(user, Project(code=code, **defaults), reason="测试")


@pytest.fixture
def ledger(personas):
    fgw = personas["fgw"]
    batch = StartBatch.objects.create(name="2021年四季度集中开工", date=dt.date(2021, 10, 12))
    lst = ProjectList.objects.create(code="build", name="三个清单：建设项目清单")
    wd1 = make_project(fgw, "P-WD-1", "621202")  # behind: 0.5 of 1.2 by Oct (序时 1.0)
    wd2 = make_project(fgw, "P-WD-2", "621202")  # on plan: 1.1 of 1.2
    kx = make_project(fgw, "P-KX-1", "621224", annual_plan=Decimal("0.6"))  # behind: 0 reported
    idle = make_project(fgw, "P-WD-Q4", "621202", stage=Stage.NEW, actual_start=batch.date, batch=batch,
                        planned_start=batch.date, annual_plan=Decimal("0.3"))
    waiting = make_project(fgw, "P-WD-WAIT", "621202", stage=Stage.PREPARING, actual_start=None,
                           planned_start=dt.date(2021, 6, 1), obstacle="land", obstacle_note="征地未完成")
    unstat = make_project(fgw, "P-WD-NS", "621202", stage=Stage.NEW, actual_start=dt.date(2021, 7, 1),
                          stats_status=StatsStatus.IN_PROGRESS, stats_deadline=dt.date(2021, 11, 15))
    small = make_project(fgw, "P-WD-SMALL", "621202", stage=Stage.NEW, actual_start=dt.date(2021, 7, 1),
                         total_investment=Decimal("0.03"), annual_plan=Decimal("0.03"),
                         stats_status=StatsStatus.NOT_ENTERED)
    for month, amount in ((8, "0.2"), (9, "0.3")):
        actions.report_progress(fgw, wd1, 2021, month, Decimal(amount), reason="测试")
    actions.report_progress(fgw, wd2, 2021, 10, Decimal("1.1"), reason="测试")
    actions.report_progress(fgw, idle, 2021, 9, Decimal("0"), reason="测试")
    return {"wd1": wd1, "wd2": wd2, "kx": kx, "idle": idle, "waiting": waiting, "unstat": unstat,
            "small": small, "batch": batch, "list": lst, **personas}
