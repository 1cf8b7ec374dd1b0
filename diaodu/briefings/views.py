"""通报 page: the documents of a period with download links (the same files as ``diaodu brief``)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from diaodu.engine.periods import Period, PeriodError
from diaodu.evaluation import compute
from diaodu.indicators.models import Observation
from diaodu.indicators.releases import (
    PRELIMINARY_LABEL,
    latest_released_period,
    period_status,
    released_periods,
)

from . import build

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "zip": "application/zip",
}
# Every row's buttons in this order, so that a format stays in one place down the page.
FORMAT_LABELS = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF", "txt": "文本", "json": "数字来源清单", "zip": "压缩包"}
LISTED = ("economy", "table", "evaluation", "weak", "speech", "projects", "enterprise-fiscal", "supervision", "pack")


def _period(request) -> Period | None:
    text = request.GET.get("period")
    if text:
        try:
            return Period.parse(text)
        except PeriodError:
            return None
    return latest_released_period()


@login_required
def index(request):
    period = _period(request)
    periods = [Period(y, m) for y, m in Observation.objects.filter(published_revision__isnull=False)
               .values_list("year", "month").distinct().order_by("-year", "-month")[:36]]
    supervision = build.supervision_available()
    rows = []
    for kind in LISTED:
        if kind == "supervision" and not supervision:
            rows.append({"kind": kind, "name": build.KINDS[kind], "formats": [], "note": "督查督办中还没有交办事项"})
            continue
        rows.append({"kind": kind, "name": build.KINDS[kind], "note": "",
                     "formats": [(fmt, label) for fmt, label in FORMAT_LABELS.items() if fmt in build.FORMATS[kind]]})
    return render(request, "briefings/index.html", {
        "period": period, "periods": periods, "rows": rows,
        "label": period.full_label() if period else "",
        "release": period_status(period), "preliminary": PRELIMINARY_LABEL,
        "released": released_periods(),
    })


@login_required
def download(request, kind: str, fmt: str):
    if kind not in build.KINDS or fmt not in build.FORMATS[kind]:
        raise Http404("没有这种文件")
    period = _period(request)
    if period is None and kind != "supervision":
        raise Http404("没有已发布的数据")
    if kind == "pack":
        data, name = build.pack(period), f"会前材料包_{period}.zip"
    else:
        try:
            with compute.snapshot():
                doc = build.document(kind, period)
                data = build.render(doc, fmt)
        except build.NotAvailable as exc:
            raise Http404(str(exc))
        suffix = ".sources.json" if fmt == "json" else f".{fmt}"
        name = f"{doc.name}{suffix}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
