"""The audit page (/audit/): change and login records for 审计员, with filters and downloads."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from diaodu.audit import display, exports
from diaodu.audit.models import ChangeRecord, LoginRecord
from diaodu.org import scopes
from diaodu.org.models import Role

PAGE_SIZE = 100


def can_read_audit(user) -> bool:
    """Audit records are read by 审计员 only (管理员 configure, they do not review their own trail)."""
    return scopes.scope_for(user).has(Role.AUDITOR)


def _auditor(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_read_audit(request.user):
            raise PermissionDenied("审计记录仅限“审计员”查看。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _date(raw: str | None, *, end: bool = False) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    if end:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _filtered(request):
    params = request.GET
    kind = "login" if params.get("kind") == "login" else "change"
    qs = ChangeRecord.objects.all() if kind == "change" else LoginRecord.objects.all()
    filters = {k: (params.get(k) or "").strip() for k in ("user", "since", "until", "what", "object")}
    if filters["user"]:
        qs = qs.filter(username=filters["user"])
    if since := _date(filters["since"]):
        qs = qs.filter(time__gte=since)
    if until := _date(filters["until"], end=True):
        qs = qs.filter(time__lt=until)
    if filters["what"]:
        qs = qs.filter(**({"action": filters["what"]} if kind == "change" else {"event": filters["what"]}))
    if filters["object"] and kind == "change":
        qs = qs.filter(object_type__icontains=filters["object"]) | qs.filter(object_repr__icontains=filters["object"])
    return kind, qs.order_by("-id"), filters


@_auditor
def records(request):
    kind, qs, filters = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    choices = ChangeRecord.Action.choices if kind == "change" else LoginRecord.Event.choices
    return render(request, "audit/records.html", {
        "kind": kind, "page": page, "filters": filters, "choices": choices, "query": query.urlencode(),
        "changes": display.change_rows(page) if kind == "change" else [],
    })


@_auditor
def download(request, fmt: str):
    kind, qs, _ = _filtered(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"audit-{kind}-{stamp}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        exports.write_csv(buffer, kind, qs)
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        exports.write_xlsx(buffer, {kind: qs})
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
