"""Indicator → task (red indicator opens, recovery closes) and the demo data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from diaodu.engine.periods import Period
from diaodu.indicators.models import Indicator, Observation, Target
from diaodu.supervision.indicator_tasks import sync_indicator_tasks
from diaodu.supervision.models import State, SupervisionSettings, Task
from diaodu.supervision.warnings import BLUE, RED, YELLOW

pytestmark = pytest.mark.django_db
TODAY = dt.date(2021, 11, 20)


def figure(region, code, value=None, growth=None, month=10):
    obs, _ = Observation.objects.update_or_create(
        region_id=region, indicator=Indicator.objects.get(code=code), year=2021, month=month,
        defaults={"value": value, "growth": growth, "published_value": value, "published_growth": growth,
                  "published_revision": 1, "published_at": timezone.now(), "status": "published"})
    return obs


def target(region, code, total=None, growth=None):
    Target.objects.create(region_id=region, indicator=Indicator.objects.get(code=code), year=2021, total=total,
                          growth=growth, source="city")


@pytest.fixture
def figures(db):
    target("621202", "fai", total=100)  # 武都 FAI: 60 of 100 at 83% 序时 -> red
    figure("621202", "fai", value=60)
    target("621224", "fai", total=100)  # 康县: 80 of 100 -> within 5 points, not red
    figure("621224", "fai", value=80)
    target("621200", "industry_va", growth=8.0)  # the city's 规上工业增加值: growth only, 5.0 vs 8.0 -> red
    figure("621200", "industry_va", growth=5.0)


def test_disabled_by_default_changes_nothing(figures):
    result = sync_indicator_tasks(Period(2021, 10), today=TODAY)
    assert not result.enabled and Task.objects.count() == 0
    out = io.StringIO()
    call_command("tasks", "sync-indicators", "--period", "2021-10", stdout=out)
    assert "未启用" in out.getvalue() and Task.objects.count() == 0


def test_red_indicator_opens_and_recovery_closes(figures):
    config = SupervisionSettings.get()
    config.indicator_tasks_enabled = True
    config.clock_date = TODAY
    config.save()
    out = io.StringIO()
    call_command("tasks", "sync-indicators", "--period", "2021-10", stdout=out)
    assert "红灯指标 2 个；新开单 2 件" in out.getvalue()
    wudu = Task.objects.get(indicator__code="fai")
    assert wudu.owner_name == "武都区" and wudu.state == State.ASSIGNED and wudu.source == Task.Source.INDICATOR
    assert wudu.lead_names() == ["武都区"] and wudu.indicator_period == "2021-10"
    assert wudu.deadline == dt.date(2021, 11, 30)
    assert "完成目标60.0%" in wudu.content
    city = Task.objects.get(indicator__code="industry_va")
    assert city.owner_name == "市工信局"  # the owning department of the city's figure

    # Running again keeps the open tasks, opens nothing twice.
    result = sync_indicator_tasks(Period(2021, 10), today=TODAY)
    assert len(result.kept) == 2 and not result.opened and Task.objects.count() == 2

    # 武都 recovers in November: its task closes by itself; the city's stays.
    target_month = 11
    figure("621202", "fai", value=95, month=target_month)
    figure("621200", "industry_va", growth=5.5, month=target_month)
    result = sync_indicator_tasks(Period(2021, 11), today=dt.date(2021, 12, 20))
    assert [t.pk for t in result.closed] == [wudu.pk]
    wudu.refresh_from_db()
    assert wudu.state == State.CLOSED and wudu.closed_on == dt.date(2021, 12, 20)
    city.refresh_from_db()
    assert city.state == State.ASSIGNED

    # A task done is not reopened for the same period; a later period still red opens a new one.
    Task.objects.filter(pk=city.pk).update(state=State.CLOSED)
    assert not sync_indicator_tasks(Period(2021, 10), today=dt.date(2021, 12, 20)).opened
    (again,) = sync_indicator_tasks(Period(2021, 11), today=dt.date(2021, 12, 20)).opened
    assert again.indicator.code == "industry_va" and again.indicator_period == "2021-11"

    # Thresholds are configuration.
    config.indicator_red_growth_points = 5
    config.save()
    Task.objects.all().delete()
    result = sync_indicator_tasks(Period(2021, 10), today=TODAY)
    assert [t.indicator.code for t in result.opened] == ["fai"]


def test_demo(personas):
    from diaodu.demo.loader import create_users
    from diaodu.supervision import demo, queries

    users = create_users()
    counts = demo.load_demo(users)
    assert counts["meetings"] == 1 and counts["tasks"] >= 25
    config = SupervisionSettings.get()
    assert config.clock_date == dt.date(2021, 11, 20)
    tasks = list(queries.with_units(Task.objects.all()))
    states = {t.state for t in tasks}
    assert {State.ASSIGNED, State.SIGNED, State.HANDLING, State.REPORTED, State.CLOSED} <= states
    assert any(t.returned_count for t in tasks)
    levels = {t.warning(config.clock_date, config).level for t in tasks}
    assert {RED, BLUE} <= levels
    housing = next(t for t in tasks if t.deadline_text == "今年入冬前")
    assert housing.quantity_target == 1500
    assert housing.warning(config.clock_date).level == RED
    assert YELLOW in levels
    assert queries.bulletin_rows(config.clock_date)
    assert all(t.meeting_id for t in tasks if t.source == Task.Source.SPEECH)
    # Tasks with several lead units, each county at its own step (labelled 演示数据).
    rows = {r.task.title: r for r in queries.rows_for([t for t in tasks if "多牵头单位" in t.title],
                                                        config.clock_date)}
    assert sorted(r.split for r in rows.values()) == ["已办结 1/3", "已办结 2/2", "已办结 3/9"]
    nine = next(r for r in rows.values() if r.split == "已办结 3/9")
    assert nine.task.state == State.ASSIGNED and nine.warning.level == RED
    assert {u.unit.state for u in nine.lead_rows} == set(State.values) - {State.REGISTERED}
    assert len(nine.overdue_units) == 6 and all(t.title.endswith("（演示数据·多牵头单位）") for t in
                                                [r.task for r in rows.values()])
    assert next(r for r in rows.values() if r.split == "已办结 2/2").task.state == State.CLOSED
