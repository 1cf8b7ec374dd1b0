"""Web import: upload → preview of what would change → confirm."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render

from diaodu.indicators.actions import ConflictError
from diaodu.ingest.exports import write_template
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import import_file
from diaodu.org import scopes

ALLOWED_SUFFIXES = {".xlsx", ".csv"}


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run(request, path: Path, *, dry_run: bool, publish: bool, reason: str, accept_warnings: bool = False):
    return import_file(path, request.user, dry_run=dry_run, publish=publish, reason=reason, source="web",
                       accept_warnings=accept_warnings)


@login_required
def upload(request):
    context = {"can_publish": scopes.can_publish_directly(request.user)}
    if request.method == "POST" and "file" in request.FILES:
        upload = request.FILES["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            messages.error(request, f"文件“{upload.name}”类型不支持：请上传 .xlsx 或 .csv。")
            return redirect("ingest:upload")
        if upload.size > settings.DIAODU_MAX_UPLOAD:
            messages.error(request, f"文件过大（{upload.size // 1048576} MB），上限 {settings.DIAODU_MAX_UPLOAD // 1048576} MB。")
            return redirect("ingest:upload")
        token = secrets.token_hex(16)
        path = _upload_dir() / f"{token}{suffix}"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        publish = bool(request.POST.get("publish")) and context["can_publish"]
        reason = request.POST.get("reason", "")[:200]
        request.session["pending_import"] = {"token": token, "suffix": suffix, "name": upload.name,
                                             "publish": publish, "reason": reason}
        try:
            result = _run(request, path, dry_run=True, publish=publish, reason=reason)
        except IngestError as exc:
            path.unlink(missing_ok=True)
            request.session.pop("pending_import", None)
            context.update({"problems": exc.problems, "name": upload.name})
            return render(request, "ingest/upload.html", context, status=400)
        except scopes.ScopeError as exc:
            path.unlink(missing_ok=True)
            messages.error(request, str(exc))
            return redirect("ingest:upload")
        context.update({"preview": result, "name": upload.name, "publish": publish})
        return render(request, "ingest/upload.html", context)
    return render(request, "ingest/upload.html", context)


@login_required
def confirm(request):
    pending = request.session.pop("pending_import", None)
    if request.method != "POST" or not pending:
        messages.error(request, "没有待确认的导入，请重新上传。")
        return redirect("ingest:upload")
    path = _upload_dir() / f"{pending['token']}{pending['suffix']}"
    try:
        result = _run(request, path, dry_run=False, publish=pending["publish"], reason=pending["reason"],
                      accept_warnings=bool(request.POST.get("accept_warnings")))
    except IngestError as exc:
        messages.error(request, f"导入失败，未写入：{exc.problems[0]}")
        return redirect("ingest:upload")
    except (scopes.ScopeError, ConflictError) as exc:
        messages.error(request, str(exc))
        return redirect("ingest:upload")
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, f"导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
    return redirect("ingest:upload")


@login_required
def template(request):
    path = _upload_dir() / f"template-{secrets.token_hex(4)}.xlsx"
    write_template(path)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename="调度数据导入模板.xlsx")
    path.unlink(missing_ok=True)  # the open handle keeps the data readable on POSIX
    return response
