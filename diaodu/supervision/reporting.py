"""Late reporting → 督办 tasks: the supervising office turns the units late on a period's figures
(``diaodu.indicators.progress``) into tasks with one action."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from diaodu.engine.periods import Period, PeriodError
from diaodu.indicators.progress import progress
from diaodu.supervision import actions, flow
from diaodu.supervision.models import Task

DAYS_TO_REPORT = 3


def task_late_units(user, period: Period, codes: list[str], today: dt.date) -> list[Task]:
    """One task per late unit among ``codes`` (all late units when empty): report the period's figures."""
    flow.check_office(user)
    late = [u for u in progress(period, today) if u.late and (not codes or u.code in codes)]
    tasks = []
    for unit in late:
        task = Task(title=f"督促报送{period.full_label()}统计数据"[:120],
                    content=(f"{unit.name}应于{unit.due:%Y年%m月%d日}前报送{period.full_label()}数据，"
                             f"截至{today:%Y年%m月%d日}{unit.state_text}（应报 {unit.expected} 项，已报 {unit.reported} 项）。"
                             "请立即报送并说明原因。"),
                    source=Task.Source.INDICATOR, source_ref=f"报送进度 {period}",
                    deadline=today + dt.timedelta(days=DAYS_TO_REPORT), start_date=today)
        lead = unit.region or unit.department
        tasks.append(actions.create_task(user, task, [lead], assign=True, reason="报送逾期转督办", source="web"))
    return tasks


@login_required
@require_POST
def late_to_tasks(request):
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:progress")
    try:
        today = settings.DIAODU_TODAY or timezone.localdate()
        tasks = task_late_units(request.user, period, request.POST.getlist("units"), today)
    except flow.ScopeError as exc:
        raise PermissionDenied(str(exc))
    messages.success(request, f"已将 {len(tasks)} 个逾期未报单位转为督办事项。" if tasks else "没有逾期未报的单位。")
    return redirect(f"/data/progress/?period={period}")
