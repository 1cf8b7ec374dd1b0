"""Demo supervision data (演示数据): the 2021-11-05 dispatch meeting and its tasks.

The meeting's tasks are drafted from the seed speech by the extractor and
confirmed as they are (drafts whose subject is outside the catalogue are left
out, as a reviewer would). The demo clock is 2021-11-20 (``SupervisionSettings.
clock_date``), so the pages show a sensible mix of states and warnings: tasks
signed for, in hand, reported, returned for rework, closed, overdue.
Everything goes through ``actions`` (change records included).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from diaodu.demo.accounts import set_demo_password
from diaodu.engine.periods import Period
from diaodu.org.models import Department, Profile, Region, Role
from diaodu.supervision import actions
from diaodu.supervision.indicator_tasks import sync_indicator_tasks
from diaodu.supervision.models import Accountability, Meeting, State, SupervisionSettings, Task, TaskUnit
from diaodu.supervision.speech import draft_tasks

SPEECH = Path(__file__).resolve().parent / "data" / "speech_2021-11-05.txt"
MEETING_DATE = dt.date(2021, 11, 5)
DEMO_TODAY = dt.date(2021, 11, 20)

# The supervising office's clerk, and one clerk for each department the speech addresses most.
DEMO_UNIT_USERS = [
    ("ducha", "zfb", "市政府办公室 督查"),
    ("czj", "czj", "市财政局"),
    ("swj", "swj", "市税务局"),
    ("gxj", "gxj", "市工信局"),
    ("swuj", "swuj", "市商务局"),
    ("zrzyj", "zrzyj", "市自然资源局"),
    ("dcd", "dcd", "国家统计局陇南调查队"),
    # County clerks beside wudu and kangxian (diaodu.demo.loader): every county reports its own
    # part of a task shared by all counties.
    ("chengxian", "621221", "成县"),
    ("wenxian", "621222", "文县"),
    ("dangchang", "621223", "宕昌县"),
    ("xihe", "621225", "西和县"),
    ("lixian", "621226", "礼县"),
    ("huixian", "621227", "徽县"),
    ("liangdang", "621228", "两当县"),
]

# Tasks with several lead units, each county at its own step on the demo's today (2021-11-20).
# Steps: None (交办, not signed), "sign", "handle", "report", "review", "return", "close".
MULTI_LEAD_TASKS = [
    {
        "title": "核查规上工业企业入统情况（演示数据·多牵头单位）",
        "content": "各县区逐户核查规模以上工业企业入统情况，11月15日前报送核查报告（演示数据）。",
        "deadline": dt.date(2021, 11, 15),  # overdue on the demo's today for the counties not done
        "cos": ["tjj"],
        "steps": {"621202": "close", "621224": "close", "621221": "close", "621222": "review",
                  "621223": "report", "621225": "return", "621226": "handle", "621227": "sign",
                  "621228": None},
    },
    {
        "title": "报送冬春农田水利建设进度（演示数据·多牵头单位）",
        "content": "武都区、康县、礼县于11月25日前报送冬春农田水利建设进度和资金到位情况（演示数据）。",
        "deadline": dt.date(2021, 11, 25),  # near the deadline (蓝灯) for the counties still open
        "cos": ["fgw"],
        "steps": {"621202": "close", "621224": "report", "621226": "handle"},
    },
    {
        "title": "落实重点项目用地保障（演示数据·多牵头单位）",
        "content": "武都区、成县会同市自然资源局落实重点项目用地指标（演示数据）。",
        "deadline": dt.date(2021, 11, 18),
        "cos": ["zrzyj"],
        "steps": {"621202": "close", "621221": "close"},  # every lead closed: the task is 办结
    },
]
STEP_ORDER = ["sign", "handle", "report", "review", "return", "close"]


def _user(username: str, unit: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        set_demo_password(user)
        user.save()
    region = Region.objects.filter(code=unit).first()
    department = None if region else Department.objects.get(code=unit)
    Profile.objects.get_or_create(user=user, defaults={"region": region, "department": department,
                                                       "roles": [str(Role.ENTER)]})
    return user


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _clerk_for(task: Task, users: dict):
    """A demo user of the task's first lead unit, or None."""
    lead = task.units.filter(role=TaskUnit.Role.LEAD).order_by("order").first()
    code = lead.region_id if lead.region_id else lead.department.code
    for user in users.values():
        profile = getattr(user, "profile", None)
        if profile and (profile.region_id == code or (profile.department_id and profile.department.code == code)):
            if set(profile.roles) & {Role.ENTER, Role.APPROVE}:
                return user
    return None


def demo_deadline(kind: str | None, meeting_date: dt.date) -> dt.date:
    """Deadlines the office sets where the speech gave none (DOMAIN §5's local rules, demo choices):
    尽快/立即 → 20 days (the rule for meeting minutes); 限期 → 10 days; unstated → year end."""
    if kind in ("asap", "immediate"):
        return meeting_date + dt.timedelta(days=20)
    if kind == "to_be_set":
        return meeting_date + dt.timedelta(days=10)
    return dt.date(meeting_date.year, 12, 31)


def load_demo(users: dict) -> dict:
    users = dict(users)
    for username, unit, _ in DEMO_UNIT_USERS:
        users[username] = _user(username, unit)
    office = users["ducha"]
    config = SupervisionSettings.get()
    config.clock_date = DEMO_TODAY
    config.indicator_tasks_enabled = True
    config.save()

    speech = SPEECH.read_text(encoding="utf-8")
    drafts = []
    for d in draft_tasks(speech, MEETING_DATE):
        item = actions.DraftInput.from_draft(d.to_dict())
        if "unit_not_in_catalogue" in d.flags:
            continue  # a reviewer names the unit first (各规划编制牵头单位, 通讯行业)
        if item.deadline is None or item.deadline < MEETING_DATE:
            item.deadline = demo_deadline(d.deadline.kind if d.deadline else None, MEETING_DATE) \
                if item.deadline is None else item.deadline
        if "入冬前" in item.deadline_text:
            item.quantity_target, item.quantity_unit = 1500, "户"  # 演示数据: households to re-house
        drafts.append(item)
    meeting = Meeting(
        kind=Meeting.Kind.DISPATCH, title="全市经济运行调度视频会议（演示数据）", date=MEETING_DATE, chair="市长",
        attendees="市政府班子成员；市直有关部门主要负责人；各县区政府主要负责人（视频）",
        briefing_ref="2021年1-10月全市经济运行调度材料（演示数据）", speech=speech,
        decisions="部署今年后两个月经济运行和财政税收工作；各项交办事项由市政府办公室跟踪督办。",
    )
    meeting, tasks = actions.create_from_drafts(office, meeting, drafts, assign=True, source="demo")

    # Move the tasks along, deterministically, as the units and the office would have by 11-20.
    counts = {"returned": 0, "closed": 0}
    for i, task in enumerate(tasks):
        clerk = _clerk_for(task, users)
        if clerk is None:
            continue
        step = i % 6
        if step == 0:
            continue  # assigned, not yet signed for
        day = MEETING_DATE + dt.timedelta(days=1 + i % 4)
        actions.transition(clerk, task, "sign", source="demo")
        if step == 1:
            continue
        done = None
        if task.quantity_target:
            done = 1200.0  # 1,200 of 1,500 households
        actions.add_feedback(clerk, task, "已制定工作方案，明确责任人和时间节点，正在推进（演示数据）。",
                             quantity_done=done, now=_at(day + dt.timedelta(days=3)), source="demo")
        if step == 2:
            continue
        actions.add_feedback(clerk, task, "已按要求完成，相关材料附后（演示数据）。", final=True,
                             now=_at(day + dt.timedelta(days=8)), source="demo")
        if step == 3:
            continue
        actions.transition(office, task, "review", source="demo")
        if step == 5:
            actions.transition(office, task, "return", reason="佐证材料不全，请补充后重新反馈（演示数据）",
                               source="demo")
            counts["returned"] += 1
            continue
        actions.transition(office, task, "close", today=day + dt.timedelta(days=10), source="demo")
        counts["closed"] += 1

    _load_multi_lead_tasks(office, users)

    # A recurring report, from a document.
    stats = Department.objects.get(code="tjj")
    recurring = Task(
        title="每月报送在建项目入库纳统进展", content="逐月报送全市在建项目入库纳统情况，直至全部入库（演示数据）。",
        source=Task.Source.DOCUMENT, source_ref="陇政办发〔2021〕演示号", start_date=MEETING_DATE,
        deadline=dt.date(2021, 12, 31), recurrence=Task.Recurrence.MONTHLY, report_day=25,
    )
    actions.create_task(office, recurring, [stats], [Department.objects.get(code="fgw")], assign=True,
                        source="demo")

    # A leader's instruction with a quantity, behind 序时 on the demo's today (黄灯).
    industry = Department.objects.get(code="gxj")
    instruction = Task(
        title="培育新入规工业企业", content="年底前培育新入规工业企业20户，逐户建立台账、跟踪服务（演示数据）。",
        source=Task.Source.INSTRUCTION, source_ref="市长批示（演示数据）", leader="分管副市长", start_date=MEETING_DATE,
        deadline=dt.date(2021, 12, 31), deadline_text="年底前", quantity_target=20, quantity_unit="户",
    )
    actions.create_task(office, instruction, [industry], [stats], assign=True, source="demo")
    actions.transition(users["gxj"], instruction, "sign", source="demo")
    actions.add_feedback(users["gxj"], instruction, "已有3户企业完成入规申报（演示数据）。", quantity_done=3,
                         now=_at(dt.date(2021, 11, 18)), source="demo")

    # Accountability on the overdue housing task and the first closed task.
    housing = next((t for t in tasks if "入冬前" in t.deadline_text), None)
    if housing is not None:
        actions.add_accountability(office, Accountability.Kind.CRITICISM, Region.objects.get(code="621226"),
                                   task=housing, date=DEMO_TODAY,
                                   reason="灾后重建住房未按期实现入冬前全部入住（演示数据）", decided_by="市政府办公室",
                                   source="demo")
    closed = next((t for t in tasks if t.state == State.CLOSED), None)
    if closed is not None:
        unit = closed.units.filter(role=TaskUnit.Role.LEAD).select_related("region", "department").first()
        actions.add_accountability(office, Accountability.Kind.PRAISE, unit.region or unit.department, task=closed,
                                   date=DEMO_TODAY, reason="按期高质量完成交办事项（演示数据）", decided_by="市政府办公室",
                                   source="demo")

    # Red indicators of 1-10月 open tasks for their owners.
    result = sync_indicator_tasks(Period(2021, 10), today=MEETING_DATE + dt.timedelta(days=1))
    return {
        "meetings": 1,
        "tasks": Task.objects.count(),
        "indicator_tasks": len(result.opened),
        "tasks_closed": Task.objects.filter(state=State.CLOSED).count(),
    }


def _load_multi_lead_tasks(office, users: dict) -> None:
    """MULTI_LEAD_TASKS: each county moved to its own step by its own clerk, reviewed, returned
    and closed by the office one county at a time."""
    clerks = {}
    for user in users.values():
        profile = getattr(user, "profile", None)
        if profile and profile.region_id and set(profile.roles) & {Role.ENTER, Role.APPROVE}:
            clerks.setdefault(profile.region_id, user)
    for n, spec in enumerate(MULTI_LEAD_TASKS):
        leads = [Region.objects.get(code=code) for code in spec["steps"]]
        cos = [Department.objects.get(code=code) for code in spec["cos"]]
        task = Task(title=spec["title"], content=spec["content"], source=Task.Source.DOCUMENT,
                    source_ref="市政府办公室通知（演示数据）", start_date=MEETING_DATE, deadline=spec["deadline"])
        actions.create_task(office, task, leads, cos, assign=True, source="demo")
        for i, (code, step) in enumerate(spec["steps"].items()):
            if step is None:
                continue
            clerk = clerks[code]
            day = MEETING_DATE + dt.timedelta(days=1 + (i + n) % 5)
            reached = STEP_ORDER[: STEP_ORDER.index(step) + 1]
            actions.transition(clerk, task, "sign", source="demo")
            if "handle" in reached:
                actions.add_feedback(clerk, task, "已部署，正在逐项推进（演示数据）。", now=_at(day + dt.timedelta(days=2)),
                                     source="demo")
            if "report" in reached:
                actions.add_feedback(clerk, task, "本县区已完成，报告附后（演示数据）。", final=True,
                                     now=_at(day + dt.timedelta(days=5)), source="demo")
            if "review" in reached:
                actions.transition(office, task, "review", unit=code, source="demo")
            if step == "return":
                actions.transition(office, task, "return", unit=code, reason="核查报告缺少企业名单，请补充（演示数据）",
                                   source="demo")
            if step == "close":
                actions.transition(office, task, "close", unit=code, today=day + dt.timedelta(days=7), source="demo")
