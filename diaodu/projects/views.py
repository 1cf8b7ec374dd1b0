"""Project pages: the ledger, a project with its history, and the derived lists the dispatch
meeting asks for (behind plan, idle since 集中开工, not started, not in statistics, county table)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from diaodu.core import ledger_views
from diaodu.org import scopes
from diaodu.org.home import home_code
from diaodu.org.models import Region
from diaodu.projects import actions, queries
from diaodu.projects.forms import ProgressForm, ProjectForm
from diaodu.projects.models import (
    Category,
    InfraProject,
    Obstacle,
    Project,
    ProjectList,
    ReserveProject,
    Stage,
    StartBatch,
    StatsStatus,
)


def _projects(request):
    return scopes.restrict_ledger(request.user, Project.objects.all())


def _region(request) -> Region | None:
    code = request.GET.get("region")
    return Region.objects.filter(code=code).first() if code else None


def _context(request, **extra) -> dict:
    region = _region(request)
    period = queries.current_period(request.GET.get("period"))
    return {"region": region, "period": period, "schedule": queries.schedule_percent(period),
            "counties": queries.counties(), "home": home_code(), **extra}


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(f"{Project._meta.get_field(k).verbose_name if k != '__all__' and k in _FIELD_NAMES else ''}"
                        f"{'：' if k != '__all__' and k in _FIELD_NAMES else ''}{' '.join(v)}"
                        for k, v in exc.message_dict.items())
    return "；".join(exc.messages)


_FIELD_NAMES = {f.name for f in Project._meta.get_fields()}


@login_required
def project_list(request):
    qs = queries.search(_projects(request), request.GET)
    qs = queries.with_progress(qs, queries.current_period(request.GET.get("period")))
    page = Paginator(qs.select_related("region", "department", "batch"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "projects/list.html", _context(
        request, page=page, total=page.paginator.count, params=params.urlencode(),
        categories=Category.choices, stages=Stage.choices, obstacles=[c for c in Obstacle.choices if c[0]],
        stats=StatsStatus.choices, lists=ProjectList.objects.all(), batches=StartBatch.objects.all(),
        can_add=scopes.writes_ledgers(request.user),
    ))


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(_projects(request).select_related("region", "department", "batch"), pk=pk)
    can_write = scopes.can_write_ledger(request.user, project.region_id, project.department_id)
    period = queries.current_period(request.GET.get("period"))
    latest = project.reports.order_by("-year", "-month").first()
    next_year, next_month = (latest.year, latest.month + 1) if latest and latest.month < 12 else (period.year, period.month)
    return render(request, "projects/detail.html", {
        "project": project, "can_write": can_write, "period": period,
        "reports": project.reports.order_by("-year", "-month"),
        "history": ledger_views.history(project, project.reports.all()), "lists": project.lists.all(),
        "form": ProjectForm(instance=project) if can_write else None,
        "progress_form": ProgressForm(initial={"year": next_year, "month": next_month}) if can_write else None,
    })


@login_required
def project_new(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        try:
            actions.create_project(request.user, project, lists=form.cleaned_data["lists"],
                                   reason=form.cleaned_data["reason"])
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "项目已登记。")
            return redirect(project)
    return render(request, "projects/form.html", {"form": form})


@login_required
@require_POST
def project_edit(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    if not scopes.can_write_ledger(request.user, project.region_id, project.department_id):
        raise PermissionDenied("无权修改该项目：只能修改本单位的项目。")
    form = ProjectForm(request.POST, instance=Project.objects.get(pk=pk))
    if not form.is_valid():
        return render(request, "projects/form.html", {"form": form, "project": project})
    changes = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "code"}
    try:
        changed = actions.update_project(request.user, project, changes, lists=form.cleaned_data["lists"],
                                         expected_version=form.cleaned_data["version"],
                                         reason=form.cleaned_data["reason"])
    except actions.ConflictError as exc:
        messages.error(request, str(exc))
    except scopes.ScopeError as exc:
        raise PermissionDenied(str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已保存。" if changed else "没有变化。")
    return redirect(project)


@login_required
@require_POST
def project_progress(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    if not scopes.can_write_ledger(request.user, project.region_id, project.department_id):
        raise PermissionDenied("无权报送该项目的进展：只能报送本单位的项目。")
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}"
                                         for k, v in form.errors.items()))
        return redirect(project)
    data = form.cleaned_data
    try:
        actions.report_progress(request.user, project, data["year"], data["month"], data["completed_month"],
                                physical_progress=data["physical_progress"], photo=data["photo"],
                                expected_version=data["version"], reason="月度进展报送")
    except actions.ConflictError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已报送 {data['year']}年{data['month']}月进展。")
    return redirect(project)


@login_required
def behind(request):
    """Projects behind the 序时 share of their annual plan, for a county (the drill-down from
    its 固定资产投资 figure) or the whole city."""
    ctx = _context(request)
    qs = queries.region_filter(_projects(request), getattr(ctx["region"], "code", None))
    rows = queries.behind_plan(qs, ctx["period"])
    return render(request, "projects/behind.html", {**ctx, "rows": rows,
                                                    "gap_total": sum(r.gap for r in rows)})


@login_required
def idle(request):
    ctx = _context(request)
    qs = queries.region_filter(_projects(request), getattr(ctx["region"], "code", None))
    return render(request, "projects/idle.html", {**ctx, "rows": queries.idle_since_batch(qs, ctx["period"]),
                                                  "batches": StartBatch.objects.all()})


@login_required
def not_started(request):
    ctx = _context(request)
    qs = queries.region_filter(_projects(request), getattr(ctx["region"], "code", None))
    return render(request, "projects/not_started.html", {**ctx, "groups": queries.not_started(qs, ctx["period"])})


@login_required
def statistics(request):
    ctx = _context(request)
    qs = queries.region_filter(_projects(request), getattr(ctx["region"], "code", None))
    end = queries.period_end(ctx["period"])
    rows = list(queries.not_in_statistics(qs))
    return render(request, "projects/statistics.html", {**ctx, "rows": rows, "end": end})


@login_required
def counties(request):
    ctx = _context(request)
    return render(request, "projects/counties.html", {**ctx, "rows": queries.county_table(ctx["period"])})


@login_required
def reserve(request):
    ctx = _context(request)
    qs = queries.region_filter(scopes.restrict_ledger(request.user, ReserveProject.objects.all()),
                               getattr(ctx["region"], "code", None)).select_related("region")
    infra = scopes.restrict_ledger(request.user, InfraProject.objects.all()).select_related("region") \
        .prefetch_related("milestones")
    return render(request, "projects/reserve.html", {**ctx, "reserve": qs, "infra": infra,
                                                     "submitted": [r for r in qs if r.submitted_upward]})


