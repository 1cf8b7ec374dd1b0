"""Data pages: published figures, the history of a figure, the entry and approval queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from diaodu.engine.periods import Period, PeriodError, quarter_end_at_or_before
from diaodu.indicators import actions, releases, validation
from diaodu.indicators.forms import FigureForm
from diaodu.indicators.models import Indicator, Observation, Revision, RevisionStatus
from diaodu.org import scopes
from diaodu.org.home import home_code
from diaodu.org.models import Region


@login_required
def figures(request):
    """Published figures of one region (default: the home city) and its subunits for a period."""
    region_code = request.GET.get("region") or home_code()
    region = get_object_or_404(Region, code=region_code)
    period = releases.period_or_default(request.GET.get("period"))
    rows = []
    if period is not None:
        scope_regions = [region, *region.children.order_by("code")]
        # Quarterly indicators (GDP, survey income) show their latest quarter: 前三季度 at 1-10月.
        quarter = quarter_end_at_or_before(period)
        in_period = Q(indicator__frequency=Indicator.Frequency.MONTHLY, month=period.month)
        if quarter is not None:
            in_period |= Q(indicator__frequency=Indicator.Frequency.QUARTERLY, month=quarter.month)
        qs = scopes.restrict_observations(
            request.user,
            Observation.objects.filter(in_period, year=period.year, region__in=scope_regions,
                                       published_revision__isnull=False),
        ).select_related("indicator", "region").order_by("indicator__order", "region_id")
        by_indicator: dict[int, dict] = {}
        for obs in qs:
            entry = by_indicator.setdefault(obs.indicator_id, {
                "indicator": obs.indicator, "own": None, "children": [],
                "label": obs.period.label(obs.indicator.frequency),
            })
            if obs.region_id == region.code:
                entry["own"] = obs
            else:
                entry["children"].append(obs)
        rows = list(by_indicator.values())
    periods = (Observation.objects.filter(published_revision__isnull=False)
               .values_list("year", "month").distinct().order_by("-year", "-month")[:60])
    return render(request, "indicators/figures.html", {
        "region": region,
        "period": period,
        "period_label": period.full_label() if period else "",
        "release": releases.period_status(period),
        "rows": rows,
        "regions": Region.objects.exclude(level=Region.Level.COUNTY).order_by("code"),
        "periods": [Period(y, m) for y, m in periods],
    })


@login_required
def figure_detail(request, pk: int):
    """A figure and every revision of it: who, when, old, new, why, and who approved."""
    obs = get_object_or_404(scopes.restrict_observations(request.user, Observation.objects.all()), pk=pk)
    revisions = obs.revisions.select_related(  # the people are shown by unit and name
        "entered_by__profile__region", "entered_by__profile__department",
        "approved_by__profile__region", "approved_by__profile__department").order_by("-number")
    # Another unit's figure: its published revisions only, never the pending one.
    sees_draft = scopes.can_read_unpublished(request.user, obs.region_id)
    if not sees_draft:
        revisions = revisions.filter(status=RevisionStatus.PUBLISHED)
    form = None
    if scopes.can_enter_figure(request.user, obs.region_id):
        form = FigureForm(initial={"value": obs.value, "growth": obs.growth, "note": obs.note,
                                   "version": obs.version})
    return render(request, "indicators/figure_detail.html", {
        "obs": obs, "revisions": revisions, "form": form, "sees_draft": sees_draft,
        "label": obs.period.full_label(obs.indicator.frequency),
    })


@login_required
@require_POST
def figure_edit(request, pk: int):
    """Correct a figure: a new revision, never an overwrite."""
    obs = get_object_or_404(Observation.objects.select_related("indicator"), pk=pk)
    if not scopes.can_enter_figure(request.user, obs.region_id):
        raise PermissionDenied("无权填报该区划的数据。")
    form = FigureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{' '.join(v)}" if k in form.fields else " ".join(v)
                                         for k, v in form.errors.items()))
        return redirect("indicators:figure", pk=pk)
    data = form.cleaned_data
    row = actions.FigureInput(obs.region_id, obs.indicator.code, obs.year, obs.month,
                              data["value"], data["growth"], data["note"])
    try:
        summary = actions.submit_figures(
            request.user, [row], source="web", reason=data["reason"],
            expected_versions={(obs.region_id, obs.indicator_id, obs.year, obs.month): data["version"]},
            accept_warnings=bool(request.POST.get("accept_warnings")),
        )
    except (actions.ConflictError, validation.RuleViolations) as exc:
        messages.error(request, str(exc))
        return redirect("indicators:figure", pk=pk)
    if summary.updated:
        messages.success(request, "已保存为新的修订版本，待审核。")
    else:
        messages.info(request, "数值未变化，未产生新版本。")
    return redirect("indicators:figure", pk=pk)


@login_required
def queue(request):
    """Unpublished figures within the user's scope: to approve, to publish, or returned."""
    qs = scopes.restrict_entry_queue(
        request.user,
        Observation.objects.exclude(status=RevisionStatus.PUBLISHED),
    ).select_related("region", "indicator").order_by("status", "indicator__order", "region_id", "-year", "-month")
    items = list(qs[:500])
    latest = {
        (r.observation_id): r
        for r in Revision.objects.filter(observation__in=items)
        .select_related("entered_by__profile__region", "entered_by__profile__department").order_by("number")
    }
    rows = []
    for obs in items:
        revision = latest.get(obs.pk)
        rows.append({
            "obs": obs, "revision": revision,
            "can_approve": revision is not None and revision.status == RevisionStatus.ENTERED
            and scopes.can_approve_figure(request.user, obs.region_id, revision.entered_by_id),
            "can_publish": revision is not None and revision.status == RevisionStatus.APPROVED
            and scopes.can_approve_figure(request.user, obs.region_id, revision.entered_by_id),
        })
    return render(request, "indicators/queue.html", {"rows": rows, "total": qs.count()})


@login_required
@require_POST
def revision_action(request, pk: int, action: str):
    revision = get_object_or_404(Revision, pk=pk)
    reason = request.POST.get("reason", "")
    handlers = {"approve": actions.approve_revision, "publish": actions.publish_revision,
                "reject": actions.reject_revision}
    if action not in handlers:
        raise Http404
    try:
        handlers[action](request.user, revision, reason=reason, source="web")
    except (actions.ConflictError, ValueError) as exc:
        messages.error(request, str(exc))
    except scopes.ScopeError as exc:
        raise PermissionDenied(str(exc))
    else:
        messages.success(request, {"approve": "已审核。", "publish": "已发布。", "reject": "已退回。"}[action])
    target = request.POST.get("next", "")
    # Only back into this site: never an address an attacker put in the form.
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "indicators:queue"
    return redirect(target)


@login_required
def indicator_list(request):
    return render(request, "indicators/catalogue.html", {"indicators": Indicator.objects.all()})


@login_required
def responsibilities(request):
    """目标责任书: who answers for each target; a user who may set a region's targets edits its 责任书."""
    from diaodu.indicators.forms import ResponsibilityForm
    from diaodu.indicators.models import TargetResponsibility
    from diaodu.indicators.responsibility import department_names
    home = home_code()
    regions = [(r.code, r.name) for r in Region.objects.filter(Q(code=home) | Q(parent_id=home)).order_by("code")
               if scopes.can_write_target(request.user, r.code)]
    departments = sorted({d.code: d for d in department_names().values()}.values(), key=lambda d: (d.order, d.code))
    choices = {"regions": regions, "indicators": [(i.code, i.name) for i in Indicator.objects.all()],
               "departments": [(d.code, d.name) for d in departments]}
    from diaodu.indicators.models import Target

    latest = Target.objects.order_by("-year").values_list("year", flat=True).first()
    form = ResponsibilityForm(request.POST or None, initial={"year": latest}, **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = actions.ResponsibilityInput(
            data["region"], data["indicator"], data["year"], data["leader"], data["leader_post"],
            data["lead_department"], tuple(data["co_departments"]), data["document_number"],
            data["document_date"], data["note"],
        )
        try:
            summary = actions.set_responsibilities(request.user, [row], source="web", reason=data["reason"])
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc)) from exc
        messages.success(request, "已新增目标责任书。" if summary.created else
                         "已更新目标责任书。" if summary.updated else "内容未变化。")
        return redirect("indicators:responsibilities")
    items = (TargetResponsibility.objects.select_related("region", "indicator", "lead_department")
             .prefetch_related("co_departments").order_by("-year", "indicator__order", "region_id"))
    return render(request, "indicators/responsibilities.html", {"items": items, "form": form,
                                                                "can_edit": bool(regions)})


@login_required
def release(request):
    """期别发布: the statistics office's approvers release a period; everyone sees the list."""
    from diaodu.indicators.models import PeriodRelease

    can_release = scopes.can_release_period(request.user)
    if request.method == "POST":
        if not can_release:
            raise PermissionDenied("无权发布期别：需要“数据审核”角色。")
        try:
            period = Period.parse(request.POST.get("period", ""))
            codes = request.POST.getlist("indicators")
            item, created = actions.release_period(request.user, period, scope=request.POST.get("scope") or "city",
                                                   indicators=codes, note=request.POST.get("note", ""))
        except (PeriodError, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{'已发布' if created else '此前已发布'}：{item}。")
        return redirect("indicators:release")
    latest = releases.latest_released_period()
    released = releases.released_periods()
    pending = [Period(y, m) for y, m in Observation.objects.filter(published_revision__isnull=False)
               .values_list("year", "month").distinct().order_by("-year", "-month")[:24]
               if Period(y, m) not in released]
    return render(request, "indicators/release.html", {
        "releases": PeriodRelease.objects.select_related("released_by")[:60],
        "latest": latest, "pending": pending, "can_release": can_release,
        "scopes": PeriodRelease.Scope.choices, "indicators": Indicator.objects.all(),
    })


def _review_period(request, scoped) -> Period | None:
    text = request.GET.get("period") or request.POST.get("period")
    if text:
        try:
            return Period.parse(text)
        except PeriodError:
            pass
    row = (scoped.exclude(status=RevisionStatus.PUBLISHED).order_by("-year", "-month")
           .values_list("year", "month").first())
    return Period(*row) if row else releases.latest_released_period()


@login_required
def review(request):
    """审核队列 of a period: units × indicators with status, change against last month and last
    year, rule warnings; select many → 审核通过 / 退回（原因） / 发布 in one action."""
    scoped = scopes.restrict_entry_queue(request.user, Observation.objects.all())
    if request.method == "POST":
        ids = request.POST.getlist("ids")
        action = request.POST.get("action", "")
        period_text = request.POST.get("period", "")
        try:
            result = actions.review_figures(request.user, [int(i) for i in ids if i.isdigit()], action,
                                            reason=request.POST.get("reason", ""), source="web")
        except (ValueError, actions.ConflictError) as exc:
            messages.error(request, str(exc))
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc))
        else:
            word = actions.REVIEW_ACTIONS[action]
            text = f"已{word} {len(result.done)} 条（批次 {result.batch}）。"
            if result.skipped:
                text += f"跳过 {len(result.skipped)} 条：" + "；".join(sorted({why for _, why in result.skipped}))
            (messages.success if result.done else messages.warning)(request, text)
        return redirect(f"{request.path}?period={period_text}")
    period = _review_period(request, scoped)
    rows = []
    if period is not None:
        qs = scoped.filter(year=period.year, month=period.month).select_related("region", "indicator")
        if not request.GET.get("all"):
            qs = qs.exclude(status=RevisionStatus.PUBLISHED)
        items = list(qs.order_by("region_id", "indicator__order")[:1000])
        keys = {(o.region_id, o.indicator_id) for o in items}
        earlier = {}
        prev = Period(period.year, period.month - 1) if period.month > 1 else None
        wanted = [(period.year - 1, period.month)] + ([(prev.year, prev.month)] if prev else [])
        for obs in Observation.objects.filter(region_id__in={k[0] for k in keys}, indicator_id__in={k[1] for k in keys},
                                              year__in={y for y, _ in wanted}, month__in={m for _, m in wanted}):
            earlier[(obs.region_id, obs.indicator_id, obs.year, obs.month)] = obs
        warnings: dict[tuple, list[str]] = {}
        for v in validation.check_period(period):
            warnings.setdefault((v["region"], v["indicator"]), []).append(
                ("【错误】" if v["severity"] == validation.BLOCKING else "") + v["message"])
        for obs in items:
            last_month = earlier.get((obs.region_id, obs.indicator_id, prev.year, prev.month)) if prev else None
            last_year = earlier.get((obs.region_id, obs.indicator_id, period.year - 1, period.month))
            rows.append({
                "obs": obs, "last_month": last_month, "last_year": last_year,
                "value_change": (obs.value - last_month.value) if last_month and last_month.value is not None
                and obs.value is not None else None,
                "growth_change": (obs.growth - last_month.growth) if last_month and last_month.growth is not None
                and obs.growth is not None else None,
                "year_change": (obs.value / last_year.value * 100 - 100) if last_year and last_year.value
                and obs.value is not None else None,
                "warnings": warnings.get((obs.region_id, obs.indicator.code), []),
            })
    return render(request, "indicators/review.html", {
        "period": period, "rows": rows, "show_all": bool(request.GET.get("all")),
        "can_review": scopes.scope_for(request.user).has("approve"),
    })


# --- the entry form: a unit's month -----------------------------------------------------------

def _entry_unit(user) -> tuple[Region | None, list[Indicator]]:
    """The region a user enters for and the indicators their unit reports: a county (or city)
    government's clerk, every indicator; a department's clerk, its assigned indicators for the home
    city (配置 → 指标目录 → 报送部门)."""
    scope = scopes.scope_for(user)
    indicators = Indicator.objects.order_by("order", "code")
    if scope.department_id is not None:
        region = Region.objects.filter(code=home_code()).first()
        return region, list(indicators.filter(departments=scope.department_id))
    region = Region.objects.filter(code=scope.unit_region).first() if scope.unit_region else None
    return region, list(indicators)


def _entry_rows(region, indicators, period: Period, department: bool = False) -> list[dict]:
    from diaodu.indicators.progress import expected_indicators

    wanted = [i for i in indicators if i.publishes(period)] if department else \
        expected_indicators(region.code, period, indicators)
    earlier = {}
    keys = [(period.year, period.month), (period.year - 1, period.month)]
    for obs in Observation.objects.filter(region=region, indicator__in=wanted, year__in={y for y, _ in keys},
                                          month__lte=period.month):  # this year's earlier months too
        earlier[(obs.indicator_id, obs.year, obs.month)] = obs
    rows = []
    for ind in wanted:
        previous = next((earlier[(ind.pk, period.year, m)] for m in range(period.month - 1, 0, -1)
                         if (ind.pk, period.year, m) in earlier), None)
        rows.append({"indicator": ind, "current": earlier.get((ind.pk, period.year, period.month)),
                     "previous": previous, "last_year": earlier.get((ind.pk, period.year - 1, period.month))})
    return rows


def _entry_inputs(request, region, rows, period) -> tuple[list, dict]:
    """The figures typed into the form (blank rows skipped), and per-field parse errors."""
    from diaodu.core.parsing import parse_number

    out, errors = [], {}
    for row in rows:
        code = row["indicator"].code
        texts = {k: request.POST.get(f"{k}-{code}", "").strip() for k in ("value", "growth")}
        row["typed"] = texts
        if not texts["value"] and not texts["growth"]:
            continue
        numbers = {}
        for key, what in (("value", "累计值"), ("growth", "累计增速")):
            try:
                numbers[key] = parse_number(texts[key], what)
            except ValueError as exc:
                errors.setdefault(code, []).append(str(exc))
        if code not in errors:
            out.append(actions.FigureInput(region.code, code, period.year, period.month, numbers["value"],
                                           numbers["growth"], ""))
    return out, errors


@login_required
def entry(request):
    """填报表 (/data/entry/): the user's unit × the indicators it reports for a month, last month's and
    last year's figures beside each field, checked by the rules as the user types (``entry_check``)
    and on submit; 保存草稿 keeps what was typed, 提交审核 writes it (status 填报, for the approver)."""
    from diaodu.core.parsing import parse_period

    region, indicators = _entry_unit(request.user)
    if region is None or not scopes.can_enter_figure(request.user, region.code):
        raise PermissionDenied("填报表供数据填报人员使用：您的账号没有可填报的单位。")
    try:
        period = parse_period(request.GET.get("period") or request.POST.get("period") or "")
    except PeriodError:
        today = timezone.localdate()
        period = Period(today.year, today.month - 1) if today.month > 1 else Period(today.year - 1, 12)
    rows = _entry_rows(region, indicators, period, department=scopes.scope_for(request.user).department_id is not None)
    draft_key = f"entry-draft:{region.code}:{period}"
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        figures, errors = _entry_inputs(request, region, rows, period)
        if request.POST.get("action") == "draft":
            request.session[draft_key] = {row["indicator"].code: row["typed"] for row in rows}
            messages.success(request, "已保存草稿（尚未提交，审核人看不到）。")
            return redirect(f"{request.path}?period={period}")
        if not errors and not figures:
            errors["__all__"] = ["没有填写任何数据。"]
        if not errors:
            try:
                summary = actions.submit_figures(request.user, figures, source="web", reason="填报表提交审核",
                                                 accept_warnings=bool(request.POST.get("accept_warnings")))
            except validation.RuleViolations as exc:
                for v in exc.violations:
                    errors.setdefault(v["indicator"], []).append(
                        ("" if v["severity"] == validation.BLOCKING else "【警告】") + v["message"])
                if not exc.blocking:
                    errors["__warnings__"] = ["有合理性警告：核实无误后勾选“已核实”再提交。"]
            else:
                request.session.pop(draft_key, None)
                messages.success(request, f"已提交审核：新增 {summary.created}，更新 {summary.updated}，"
                                          f"未变 {summary.unchanged}。")
                return redirect(f"{request.path}?period={period}")
    else:
        draft = request.session.get(draft_key) or {}
        for row in rows:
            current = row["current"]
            row["typed"] = draft.get(row["indicator"].code) or {
                "value": "" if current is None or current.value is None else f"{current.value:g}",
                "growth": "" if current is None or current.growth is None else f"{current.growth:g}"}
    for row in rows:
        row["errors"] = errors.get(row["indicator"].code, [])
    return render(request, "indicators/entry.html", {
        "region": region, "period": period, "rows": rows, "errors": errors,
        "general": errors.get("__all__", []) + errors.get("__warnings__", []),
        "has_warnings": "__warnings__" in errors,
    })


@login_required
@require_POST
def entry_check(request):
    """The rules' verdict on one typed figure, for the form's inline check (the submit checks again)."""
    from django.http import JsonResponse

    from diaodu.core.parsing import parse_number, parse_period

    region, _ = _entry_unit(request.user)
    if region is None or not scopes.can_enter_figure(request.user, region.code):
        raise PermissionDenied("无权填报。")
    try:
        period = parse_period(request.POST.get("period", ""))
        indicator = Indicator.objects.get(code=request.POST.get("indicator", ""))
        value = parse_number(request.POST.get("value"), "累计值")
        growth = parse_number(request.POST.get("growth"), "累计增速")
    except (PeriodError, ValueError, Indicator.DoesNotExist) as exc:
        return JsonResponse({"messages": [str(exc) if not isinstance(exc, Indicator.DoesNotExist) else "未知的指标"],
                             "blocking": True}, json_dumps_params={"ensure_ascii": False})
    if value is None and growth is None:
        return JsonResponse({"messages": [], "blocking": False})
    found = validation.check_rows([actions.FigureInput(region.code, indicator.code, period.year, period.month,
                                                       value, growth, "")])
    return JsonResponse({"messages": [("" if v["severity"] == validation.BLOCKING else "【警告】") + v["message"]
                                      for v in found],
                         "blocking": any(v["severity"] == validation.BLOCKING for v in found)},
                        json_dumps_params={"ensure_ascii": False})


@login_required
def progress_page(request):
    """报送进度 (/data/progress/): who has submitted, been approved, been published; who is late."""
    from diaodu.core.parsing import parse_period
    from diaodu.indicators.progress import progress

    try:
        period = parse_period(request.GET.get("period") or "")
    except PeriodError:
        period = _review_period(request, Observation.objects.all()) or releases.latest_released_period()
    today = settings.DIAODU_TODAY or timezone.localdate()
    units = progress(period, today) if period else []
    return render(request, "indicators/progress.html", {
        "period": period, "units": units, "today": today, "late": [u for u in units if u.late],
    })

