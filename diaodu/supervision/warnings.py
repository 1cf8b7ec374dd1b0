"""Warnings (蓝/黄/红), 序时 of a task, the indicator rule, and the clock. Pure, no database.

- 红 (overdue): the task is open and today is past its due date.
- 黄 (behind schedule): the task carries a quantity and the share done lags the
  task's 序时 (elapsed share of its period, start → due) by more than
  ``yellow_points`` percentage points.
- 蓝 (near deadline): the due date is within ``blue_days`` days (today included).

Red wins over yellow, yellow over blue. A closed task has no warning.
Every function takes ``today``: tests and the demo control the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from diaodu.core import numbers

RED, YELLOW, BLUE = "red", "yellow", "blue"
LEVEL_LABELS = {RED: "红灯（逾期）", YELLOW: "黄灯（滞后序时）", BLUE: "蓝灯（临近期限）"}
LEVEL_SHORT = {RED: "红", YELLOW: "黄", BLUE: "蓝"}
LEVEL_ORDER = {RED: 0, YELLOW: 1, BLUE: 2, None: 3}


@dataclass(frozen=True)
class Warning:
    level: str | None
    reason: str = ""
    days_left: int | None = None  # negative when overdue
    schedule: float | None = None  # 序时, percent
    completion: float | None = None  # quantity done / target, percent

    @property
    def label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def short(self) -> str:
        return LEVEL_SHORT.get(self.level, "")


def schedule_share(start: dt.date | None, due: dt.date | None, today: dt.date) -> float | None:
    """序时 of a task in percent: days elapsed since start / days from start to due, clamped to 0–100."""
    if start is None or due is None:
        return None
    total = (due - start).days
    if total <= 0:
        return 100.0
    return max(0.0, min(100.0, (today - start).days / total * 100))


def compute_warning(*, due: dt.date | None, start: dt.date | None, today: dt.date, closed: bool,
                    done: float | None, target: float | None, blue_days: int, yellow_points: float) -> Warning:
    if closed:
        return Warning(None)
    days_left = (due - today).days if due else None
    schedule = schedule_share(start, due, today)
    completion = done / target * 100 if done is not None and target else None
    if days_left is not None and days_left < 0:
        return Warning(RED, f"已逾期{-days_left}天", days_left, schedule, completion)
    if completion is not None and schedule is not None and completion < schedule - yellow_points:
        behind = numbers.difference(schedule, completion, 0)  # from the printed numbers
        return Warning(YELLOW, f"完成{numbers.text(completion, 0)}%，序时进度{numbers.text(schedule, 0)}%，"
                       f"落后{behind}个百分点",
                       days_left, schedule, completion)
    if days_left is not None and days_left <= blue_days:
        return Warning(BLUE, "今日到期" if days_left == 0 else f"距期限还有{days_left}天", days_left, schedule,
                       completion)
    return Warning(None, "", days_left, schedule, completion)


def next_report_due(recurrence: str, report_day: int, today: dt.date, last_report: dt.date | None,
                    start: dt.date | None) -> dt.date:
    """The next due date of a recurring report (每月/每季度, by ``report_day``).

    Due dates fall on ``report_day`` of every month (monthly) or of the month after
    each quarter (quarterly: January, April, July, October). A report covers the
    first due date on or after it (reporting on the 20th for "每月25日前" is this
    month's report); the next due is the one after that, or, before any report,
    the first due date on or after the start. ``today`` is not used by the rule.
    """
    first = _due_on_or_after(recurrence, report_day, start or today)
    if last_report is None:
        return first
    covered = _due_on_or_after(recurrence, report_day, last_report)
    return max(first, _due_on_or_after(recurrence, report_day, covered + dt.timedelta(days=1)))


def _due_on_or_after(recurrence: str, report_day: int, day: dt.date) -> dt.date:
    due = dt.date(day.year, day.month, report_day)
    if due < day:
        due = _shift(due.year, due.month, 1, report_day)
    if recurrence == "quarterly":
        while due.month not in (1, 4, 7, 10):
            due = _shift(due.year, due.month, 1, report_day)
    return due


def _shift(year: int, month: int, months: int, day: int) -> dt.date:
    m = month - 1 + months
    return dt.date(year + m // 12, m % 12 + 1, day)


# --- indicators -------------------------------------------------------------

INDICATOR_RULE = (
    "总量型指标（累计流量且有目标总量）：完成率 = 累计值 / 目标总量，序时进度 = 月数 / 12，"
    "完成率低于序时进度超过阈值为红灯；其余指标：累计增速低于目标增速超过阈值为红灯。"
)


@dataclass(frozen=True)
class IndicatorPace:
    method: str  # "completion" or "growth" or "" (not computable)
    completion: float | None  # percent of the total target
    schedule: float | None  # percent of the year
    gap: float | None  # completion − schedule, or growth − target growth (percentage points)
    red: bool
    text: str


def indicator_pace(*, kind: str, month: int, value: float | None, growth: float | None,
                   target_total: float | None, target_growth: float | None,
                   red_points: float, red_growth_points: float) -> IndicatorPace:
    """Whether a figure is a red indicator (see INDICATOR_RULE).

    Small on purpose: ``diaodu.engine.pace`` computes the full picture (what remains,
    the growth the remaining months need) and may replace this later.
    """
    if kind == "flow" and target_total and value is not None:
        completion = value / target_total * 100
        schedule = month / 12 * 100
        gap = completion - schedule
        return IndicatorPace("completion", completion, schedule, gap, gap < -red_points,
                             f"完成目标{numbers.text(completion, 1)}%，序时进度{numbers.text(schedule, 1)}%，"
                             f"差距{numbers.difference(completion, schedule, 1):+}个百分点")
    if growth is not None and target_growth is not None:
        gap = growth - target_growth
        return IndicatorPace("growth", None, None, gap, gap < -red_growth_points,
                             f"累计增长{numbers.text(growth, 1)}%，目标{numbers.text(target_growth, 1)}%，"
                             f"差距{numbers.difference(growth, target_growth, 1):+}个百分点")
    return IndicatorPace("", None, None, None, False, "缺目标或数据，无法判断")


# --- the clock ----------------------------------------------------------------

def today(config_date: dt.date | None = None) -> dt.date:
    """The date pages compute warnings against: the DIAODU_TODAY setting, else the
    office's configured demo date, else the real date (Asia/Shanghai)."""
    from django.conf import settings
    from django.utils import timezone

    configured = getattr(settings, "DIAODU_TODAY", None)
    if configured:
        return configured if isinstance(configured, dt.date) else dt.date.fromisoformat(str(configured))
    if config_date is not None:
        return config_date
    return timezone.localdate()
