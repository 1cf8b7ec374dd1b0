"""Warnings 蓝/黄/红 and 序时 on a controlled clock; recurring reports; the indicator rule; the clock."""

from __future__ import annotations

import datetime as dt

import pytest

from diaodu.supervision import actions
from diaodu.supervision.models import SupervisionSettings
from diaodu.supervision.warnings import (
    BLUE,
    RED,
    YELLOW,
    compute_warning,
    indicator_pace,
    next_report_due,
    schedule_share,
    today,
)

D = dt.date
START, DUE = D(2021, 11, 5), D(2021, 12, 5)  # a 30-day task


def warn(now, done=None, target=None, closed=False, due=DUE, blue_days=7, yellow_points=10):
    return compute_warning(due=due, start=START, today=now, closed=closed, done=done, target=target,
                           blue_days=blue_days, yellow_points=yellow_points)


@pytest.mark.parametrize(
    ("now", "done", "level", "days_left"),
    [
        (D(2021, 11, 10), None, None, 25),
        (D(2021, 11, 27), None, None, 8),  # 8 days left: not yet blue
        (D(2021, 11, 28), None, BLUE, 7),
        (D(2021, 12, 5), None, BLUE, 0),  # due today: still blue
        (D(2021, 12, 6), None, RED, -1),  # overdue
        (D(2021, 12, 6), 1500, RED, -1),  # overdue wins even when the quantity is done
        (D(2021, 11, 20), 600, None, 15),  # 40% done at 50% 序时: within 10 points
        (D(2021, 11, 20), 500, YELLOW, 15),  # 33% at 50%: behind
        (D(2021, 12, 1), 300, YELLOW, 4),  # behind wins over near-deadline
        (D(2021, 12, 1), 1500, BLUE, 4),
    ],
)
def test_levels(now, done, level, days_left):
    w = warn(now, done, 1500 if done is not None else None)
    assert w.level == level
    assert w.days_left == days_left


def test_reasons_and_thresholds():
    w = warn(D(2021, 11, 20), 500, 1500)
    assert w.reason == "完成33%，序时进度50%，落后17个百分点"
    assert w.schedule == 50 and round(w.completion) == 33
    assert warn(D(2021, 11, 20), 500, 1500, yellow_points=20).level is None  # configurable
    assert warn(D(2021, 11, 20), blue_days=15).level == BLUE
    assert warn(D(2021, 12, 8)).reason == "已逾期3天" and warn(D(2021, 12, 8)).overdue_days == 3
    assert warn(D(2022, 1, 1), closed=True).level is None
    assert warn(D(2021, 11, 6), due=None).level is None


def test_schedule_share():
    assert schedule_share(START, DUE, D(2021, 11, 4)) == 0
    assert schedule_share(START, DUE, D(2021, 11, 20)) == 50
    assert schedule_share(START, DUE, D(2022, 1, 1)) == 100
    assert schedule_share(START, None, D(2021, 11, 20)) is None
    assert schedule_share(DUE, DUE, DUE) == 100


@pytest.mark.parametrize(
    ("recurrence", "last", "start", "due"),
    [
        ("monthly", None, D(2021, 11, 5), D(2021, 11, 25)),
        ("monthly", None, D(2021, 11, 26), D(2021, 12, 25)),
        ("monthly", D(2021, 11, 20), D(2021, 11, 5), D(2021, 12, 25)),  # before the 25th: this month's report
        ("monthly", D(2021, 11, 25), D(2021, 11, 5), D(2021, 12, 25)),
        ("monthly", D(2021, 12, 28), D(2021, 11, 5), D(2022, 2, 25)),  # late: counts for January
        ("quarterly", None, D(2021, 11, 5), D(2022, 1, 25)),
        ("quarterly", D(2022, 1, 20), D(2021, 11, 5), D(2022, 4, 25)),
        ("quarterly", D(2022, 1, 26), D(2021, 11, 5), D(2022, 7, 25)),
    ],
)
def test_next_report_due(recurrence, last, start, due):
    assert next_report_due(recurrence, 25, D(2021, 11, 20), last, start) == due


@pytest.mark.django_db
def test_task_warning_against_configured_thresholds(personas, make_task):
    task = make_task(deadline=D(2021, 11, 25), quantity_target=1500, quantity_unit="户")
    assert task.warning(D(2021, 11, 20)).level == BLUE
    assert task.warning(D(2021, 11, 26)).level == RED
    config = SupervisionSettings.get()
    config.blue_days = 3
    config.save()
    assert task.warning(D(2021, 11, 20)).level is None
    actions.transition(personas["wudu"], task, "sign")
    actions.add_feedback(personas["wudu"], task, "入住300户", quantity_done=300)
    assert task.warning(D(2021, 11, 20)).level == YELLOW  # 20% done at 75% 序时


@pytest.mark.django_db
def test_recurring_task_due_follows_reports(personas, make_task):
    from django.utils import timezone

    task = make_task(recurrence="monthly", report_day=25, deadline=D(2022, 3, 31))
    assert task.due_date(D(2021, 11, 20)) == D(2021, 11, 25)
    assert task.warning(D(2021, 11, 26)).level == RED
    actions.transition(personas["wudu"], task, "sign")
    actions.add_feedback(personas["wudu"], task, "11月进展", now=timezone.make_aware(dt.datetime(2021, 11, 24, 9)))
    task = type(task).objects.prefetch_related("feedback").get(pk=task.pk)
    assert task.due_date(D(2021, 11, 26)) == D(2021, 12, 25)
    assert task.warning(D(2021, 11, 26)).level is None


def test_indicator_pace():
    # Flow with a total target: completion vs 序时 (10 months = 83.3%).
    p = indicator_pace(kind="flow", month=10, value=70, growth=5.0, target_total=100, target_growth=8.0,
                       red_points=5, red_growth_points=2)
    assert p.method == "completion" and p.red and round(p.gap, 1) == -13.3
    p = indicator_pace(kind="flow", month=10, value=80, growth=None, target_total=100, target_growth=None,
                       red_points=5, red_growth_points=2)
    assert not p.red
    # Otherwise growth vs the growth target.
    p = indicator_pace(kind="rate", month=10, value=None, growth=5.0, target_total=None, target_growth=8.0,
                       red_points=5, red_growth_points=2)
    assert p.method == "growth" and p.red and p.gap == -3
    p = indicator_pace(kind="flow", month=10, value=None, growth=7.0, target_total=100, target_growth=8.0,
                       red_points=5, red_growth_points=2)
    assert p.method == "growth" and not p.red
    assert indicator_pace(kind="stock", month=10, value=1, growth=None, target_total=None, target_growth=None,
                          red_points=5, red_growth_points=2).method == ""


@pytest.mark.django_db
def test_clock(settings, monkeypatch):
    monkeypatch.delenv("DIAODU_TODAY", raising=False)
    settings.DIAODU_TODAY = None
    assert today(D(2021, 11, 20)) == D(2021, 11, 20)
    settings.DIAODU_TODAY = "2021-12-01"
    assert today(D(2021, 11, 20)) == D(2021, 12, 1)
    settings.DIAODU_TODAY = dt.date(2021, 12, 2)  # settings.py parses the environment variable
    assert today() == D(2021, 12, 2)
