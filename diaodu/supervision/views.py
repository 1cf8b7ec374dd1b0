"""Supervision pages: inbox, task list, countdown (倒计时), 作战图, the task sheet (一事一单),
meetings, speech → tasks, 督查通报, accountability. Reads go through ``flow.restrict_tasks``;
writes through ``actions``."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diaodu.audit.models import ChangeRecord
from diaodu.core.params import id_param
from diaodu.org.models import Department, Region
from diaodu.org.scopes import ScopeError
from diaodu.supervision import actions, flow, queries
from diaodu.supervision.extract import FLAG_LABELS
from diaodu.supervision.forms import AccountabilityForm, FeedbackForm, MeetingForm, SpeechForm, TransitionForm
from diaodu.supervision.models import (
    OPEN_STATES,
    Accountability,
    Attachment,
    Meeting,
    State,
    SupervisionSettings,
    Task,
    TaskUnit,
)
from diaodu.supervision.speech import draft_tasks
from diaodu.supervision.warnings import BLUE, RED, YELLOW


def _ctx(request, **extra) -> dict:
    today = SupervisionSettings.today()
    return {"today": today, "actor": flow.actor_for(request.user), **extra}


@login_required
def inbox(request):
    ctx = _ctx(request)
    ctx["inbox"] = queries.inbox(request.user, ctx["today"])
    return render(request, "supervision/inbox.html", ctx)


@login_required
def task_list(request):
    ctx = _ctx(request)
    qs = flow.restrict_tasks(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in State.values:
        qs = qs.filter(state=state)
    meeting = id_param(request.GET, "meeting")
    if meeting is not None:
        qs = qs.filter(meeting_id=meeting)
    rows = queries.rows_for(queries.with_units(qs), ctx["today"], viewer=queries.viewer_of(request.user))
    level = request.GET.get("warning", "")
    if level in (RED, YELLOW, BLUE):
        rows = [r for r in rows if r.warning.level == level]
    ctx.update(rows=rows, states=State.choices, state=state, level=level)
    return render(request, "supervision/list.html", ctx)


@login_required
def countdown(request):
    ctx = _ctx(request)
    ctx["rows"] = queries.countdown(request.user, ctx["today"])
    return render(request, "supervision/countdown.html", ctx)


def _unit_from_code(code: str):
    region = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
    if region:
        return region, {"region_id": region.code}
    department = Department.objects.filter(code=code).first()
    if department:
        return department, {"department_id": department.pk}
    return None, None


@login_required
def battle_map(request):
    ctx = _ctx(request)
    actor = ctx["actor"]
    code = request.GET.get("unit", "")
    unit, unit_filter = _unit_from_code(code) if code else (None, None)
    if unit is None:
        if actor.department_id:
            unit = Department.objects.get(pk=actor.department_id)
            unit_filter = {"department_id": unit.pk}
        elif actor.region:
            unit = Region.objects.get(code=actor.region)
            unit_filter = {"region_id": unit.code}
    if unit is not None and not actor.reads_all:
        own = (unit_filter.get("department_id") == actor.department_id if actor.department_id
               else unit_filter.get("region_id") == actor.region)
        if not own:
            raise PermissionDenied("只能查看本单位的作战图。")
    # Units that have tasks, for the picker (office and leaders).
    has_tasks = TaskUnit.objects.filter(region_id=OuterRef("pk"))
    ctx["counties"] = Region.objects.filter(Exists(has_tasks)).order_by("code") if actor.reads_all else []
    has_tasks = TaskUnit.objects.filter(department_id=OuterRef("pk"))
    ctx["departments"] = Department.objects.filter(Exists(has_tasks)) if actor.reads_all else []
    ctx["unit"] = unit
    ctx["unit_code"] = getattr(unit, "code", "")
    if unit is not None:
        ctx["map"] = queries.battle_map(unit_filter, request.user, ctx["today"])
        ctx["accountability"] = Accountability.objects.filter(**unit_filter).select_related("task")[:20]
    return render(request, "supervision/map.html", ctx)


def _task_for(request, pk: int) -> Task:
    qs = queries.with_units(flow.restrict_tasks(request.user))
    task = qs.filter(pk=pk).first()
    if task is None:
        if Task.objects.filter(pk=pk).exists():
            raise PermissionDenied("无权查看该事项：只能查看本单位的督办事项。")
        raise Http404("没有这个事项")
    return task


@login_required
def task_detail(request, pk: int):
    ctx = _ctx(request)
    task = _task_for(request, pk)
    (row,) = queries.rows_for([task], ctx["today"], viewer=queries.viewer_of(request.user))
    feedback = task.feedback.select_related("author", "region", "department").prefetch_related("attachments")
    history = ChangeRecord.objects.filter(object_type=task._meta.label_lower, object_id=str(task.pk)).order_by("id")
    ctx.update(
        task=task, row=row, feedback=feedback, history=history,
        # With several lead units the office reviews, returns and closes each in the units' table.
        transitions=[t for t in flow.allowed_transitions(request.user, task)
                     if not (row.split and t.actor == flow.OFFICE and t.name not in flow.TASK_TRANSITIONS)],
        unit_actions=flow.allowed_unit_actions(request.user, task) if row.split else [],
        can_feedback=flow.can_feedback(request.user, task),
        can_report=flow.can_transition(request.user, task, "report"),
        unit_role=flow.unit_role(request.user, task),
        feedback_form=FeedbackForm(initial={"version": task.version}),
        accountability=task.accountability.select_related("region", "department"),
        accountability_form=AccountabilityForm(initial={"date": ctx["today"], "unit": row.leads.split("、")[0]})
        if ctx["actor"].office else None,
        flags=[FLAG_LABELS.get(m.get("value"), "") for m in task.matched if m.get("kind") == "flag"],
    )
    return render(request, "supervision/task.html", ctx)


@login_required
@require_POST
def task_transition(request, pk: int, name: str):
    task = _task_for(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "表单不完整，请刷新后重试。")
        return redirect(task)
    try:
        actions.transition(request.user, task, name, reason=form.cleaned_data["reason"],
                           unit=form.cleaned_data["unit"] or None, expected_version=form.cleaned_data["version"],
                           today=SupervisionSettings.today())
    except (ScopeError, ValueError, actions.ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已{flow.TRANSITIONS[name].label}：{task.title}")
    return redirect(task)


@login_required
@require_POST
def task_feedback(request, pk: int):
    task = _task_for(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写进展情况；完成数量须为非负数。")
        return redirect(task)
    data = form.cleaned_data
    try:
        actions.add_feedback(request.user, task, data["text"], quantity_done=data["quantity_done"],
                             files=request.FILES.getlist("files"), final=data["final"],
                             expected_version=data["version"])
    except (ScopeError, ValueError, actions.ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已提交办结反馈，等待复核。" if data["final"] else "已反馈进展。")
    return redirect(task)


@login_required
def attachment(request, pk: int):
    att = get_object_or_404(Attachment.objects.select_related("feedback"), pk=pk)
    _task_for(request, att.feedback.task_id)  # scope check
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@login_required
@require_POST
def task_accountability(request, pk: int):
    task = _task_for(request, pk)
    form = AccountabilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写完整的奖惩记录。")
        return redirect(task)
    data = form.cleaned_data
    units, missing = actions.UnitResolver().resolve_many([data["unit"]])
    if missing or len(units) != 1:
        messages.error(request, f"对象单位“{data['unit']}”须为机构目录中的一个县区或部门。")
        return redirect(task)
    try:
        actions.add_accountability(request.user, data["kind"], units[0], task=task, date=data["date"],
                                   reason=data["reason"], decided_by=data["decided_by"])
    except (ScopeError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已登记。")
    return redirect(task)


@login_required
def accountability_list(request):
    ctx = _ctx(request)
    qs = Accountability.objects.select_related("task", "region", "department")
    if not ctx["actor"].reads_all:
        actor = ctx["actor"]
        qs = qs.filter(department_id=actor.department_id) if actor.department_id else qs.filter(
            region_id=actor.region or "-")
    ctx["records"] = qs
    return render(request, "supervision/accountability.html", ctx)


@login_required
def meetings(request):
    ctx = _ctx(request)
    visible = flow.restrict_tasks(request.user)
    qs = Meeting.objects.all() if ctx["actor"].reads_all else Meeting.objects.filter(
        pk__in=visible.values("meeting_id"))
    ctx["meetings"] = qs
    return render(request, "supervision/meetings.html", ctx)


@login_required
def meeting_detail(request, pk: int):
    ctx = _ctx(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    tasks = queries.with_units(flow.restrict_tasks(request.user, meeting.tasks.all()))
    if not ctx["actor"].reads_all and not tasks:
        raise PermissionDenied("无权查看该会议。")
    ctx.update(meeting=meeting, rows=queries.rows_for(tasks, ctx["today"]))
    return render(request, "supervision/meeting.html", ctx)


@login_required
def bulletin(request):
    ctx = _ctx(request)
    rows = queries.bulletin_rows(ctx["today"], user=request.user)
    ctx["overdue"] = [r for r in rows if r["category"] == "逾期未办结"]
    ctx["completed"] = [r for r in rows if r["category"] == "已办结"]
    return render(request, "supervision/bulletin.html", ctx)


# --- speech → tasks -------------------------------------------------------------

def _draft_rows(drafts) -> list[dict]:
    resolver = actions.UnitResolver()
    rows = []
    for i, d in enumerate(drafts):
        item = actions.DraftInput.from_draft(d.to_dict())
        _, missing = resolver.resolve_many(item.lead_units)
        rows.append({
            "i": i, "keep": bool(item.lead_units) and not missing, "missing": missing,
            "lead": "、".join(item.lead_units), "co": "、".join(item.co_units), "action": item.action,
            "deadline": item.deadline.isoformat() if item.deadline else "", "deadline_text": item.deadline_text,
            "deadline_reason": d.deadline.reason if d.deadline else "", "sentence": d.sentence,
            "leader": item.leader, "qty": "" if item.quantity_target is None else f"{item.quantity_target:g}",
            "qty_unit": item.quantity_unit, "matched": json.dumps(item.matched, ensure_ascii=False),
            "matched_list": d.matched, "flags": [FLAG_LABELS.get(f, f) for f in d.flags],
            "section": d.section, "recurrence": item.recurrence, "report_day": item.report_day,
        })
    return rows


def _rows_from_post(post) -> tuple[list[dict], list[actions.DraftInput]]:
    rows, kept = [], []
    count = int(post.get("count", "0") or 0)
    for i in range(min(count, 500)):
        g = lambda k, i=i: post.get(f"d-{i}-{k}", "").strip()  # noqa: E731
        row = {"i": i, "keep": post.get(f"d-{i}-keep") == "on", "lead": g("lead"), "co": g("co"),
               "action": g("action"), "deadline": g("deadline"), "deadline_text": g("deadline_text"),
               "sentence": g("sentence"), "leader": g("leader"), "qty": g("qty"), "qty_unit": g("qty_unit"),
               "matched": g("matched") or "[]", "flags": [], "missing": [], "matched_list": [],
               "recurrence": g("recurrence"), "report_day": g("report_day")}
        rows.append(row)
        if not row["keep"]:
            continue
        try:
            deadline = dt.date.fromisoformat(row["deadline"]) if row["deadline"] else None
            qty = float(row["qty"]) if row["qty"] else None
            matched = json.loads(row["matched"])
            report_day = int(row["report_day"]) if row["report_day"] else None
        except ValueError:
            raise actions.DraftError([f"第{i + 1}条：期限、数量或报送日格式不对"])
        if row["recurrence"] not in Task.Recurrence.values:
            raise actions.DraftError([f"第{i + 1}条：报送周期不对"])
        kept.append(actions.DraftInput(
            lead_units=actions.split_names(row["lead"]), co_units=actions.split_names(row["co"]),
            action=row["action"], sentence=row["sentence"], deadline=deadline, deadline_text=row["deadline_text"],
            leader=row["leader"], quantity_target=qty, quantity_unit=row["qty_unit"], matched=matched,
            recurrence=row["recurrence"], report_day=report_day if row["recurrence"] else None,
        ))
    return rows, kept


@login_required
def extract(request):
    """Step 1 (paste or upload) and step 2 (review the drafts); step 3 is ``extract_confirm``."""
    ctx = _ctx(request)
    if not ctx["actor"].office:
        raise PermissionDenied("从讲话稿生成交办事项由督查部门（市政府办公室）办理。")
    if request.method == "POST":
        form = SpeechForm(request.POST, request.FILES)
        if form.is_valid():
            text, date = form.cleaned_data["text"], form.cleaned_data["date"]
            drafts = draft_tasks(text, date)
            meeting_form = MeetingForm(initial={"date": date, "title": f"{date.year}年{date.month}月全市经济运行调度会议",
                                                "kind": Meeting.Kind.DISPATCH})
            ctx.update(rows=_draft_rows(drafts), speech=text, meeting_form=meeting_form, date=date,
                       recurrences=Task.Recurrence.choices)
            return render(request, "supervision/review.html", ctx)
    else:
        form = SpeechForm(initial={"date": ctx["today"]})
    ctx["form"] = form
    return render(request, "supervision/extract.html", ctx)


@login_required
@require_POST
def extract_confirm(request):
    ctx = _ctx(request)
    if not ctx["actor"].office:
        raise PermissionDenied("从讲话稿生成交办事项由督查部门（市政府办公室）办理。")
    meeting_form = MeetingForm(request.POST, request.FILES)
    speech = request.POST.get("speech", "")
    problems: list[str] = []
    rows: list[dict] = []
    try:
        rows, kept = _rows_from_post(request.POST)
    except actions.DraftError as exc:
        problems, kept = exc.problems, []
    if not problems and not kept:
        problems = ["请至少勾选一条交办事项。"]
    if meeting_form.is_valid() and not problems:
        meeting = meeting_form.save(commit=False)
        meeting.speech = speech
        try:
            meeting, tasks = actions.create_from_drafts(request.user, meeting, kept,
                                                        assign=request.POST.get("assign") == "on")
        except actions.DraftError as exc:
            problems = exc.problems
        else:
            messages.success(request, f"已创建会议“{meeting.title}”及交办事项 {len(tasks)} 件。")
            return redirect(meeting)
    ctx.update(rows=rows, speech=speech, meeting_form=meeting_form, problems=problems,
               recurrences=Task.Recurrence.choices)
    return render(request, "supervision/review.html", ctx)
