"""Web import: upload → preview of what would change → confirm."""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render

from diaodu.indicators.actions import ConflictError
from diaodu.ingest import previews
from diaodu.ingest.exports import write_template
from diaodu.ingest.problems import IngestError
from diaodu.ingest.service import import_file
from diaodu.org import scopes

ALLOWED_SUFFIXES = {".xlsx", ".csv"}
NO_IMPORT = "无权导入数据：需要“数据填报”“数据审核”或“管理员”角色（领导、审计员只读）。"


def _upload_dir() -> Path:
    return previews.upload_dir()


def _run(request, path: Path, *, dry_run: bool, publish: bool, reason: str, accept_warnings: bool = False):
    return import_file(path, request.user, dry_run=dry_run, publish=publish, reason=reason, source="web",
                       accept_warnings=accept_warnings)


@login_required
def upload(request):
    # Before request.FILES is touched: a user who may not import never has a file read.
    if not scopes.can_import(request.user):
        raise PermissionDenied(NO_IMPORT)
    # Four eyes (DIAODU_FOUR_EYES): the web import never publishes what it enters.
    context = {"can_publish": scopes.can_publish_directly(request.user) and not settings.DIAODU_FOUR_EYES}
    if request.method == "POST" and "file" in request.FILES:
        upload = request.FILES["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            messages.error(request, f"文件“{upload.name}”类型不支持：请上传 .xlsx 或 .csv。")
            return redirect("ingest:upload")
        if upload.size > settings.DIAODU_MAX_UPLOAD:
            messages.error(request, f"文件过大（{upload.size // 1048576} MB），上限 {settings.DIAODU_MAX_UPLOAD // 1048576} MB。")
            return redirect("ingest:upload")
        token, path = previews.save_upload(upload, suffix)
        publish = bool(request.POST.get("publish")) and context["can_publish"]
        reason = request.POST.get("reason", "")[:200]
        try:
            result = _run(request, path, dry_run=True, publish=publish, reason=reason)
        except IngestError as exc:
            path.unlink(missing_ok=True)
            # A problem of the whole file names the stored copy (a token): show the user's file name.
            problems = [replace(p, sheet=upload.name) if p.sheet == path.name else p for p in exc.problems]
            context.update({"problems": problems, "name": upload.name})
            return render(request, "ingest/upload.html", context, status=400)
        except scopes.ScopeError as exc:
            path.unlink(missing_ok=True)
            messages.error(request, str(exc))
            return redirect("ingest:upload")
        sha256 = previews.file_hash(path)
        previews.remember(request.session, token, suffix=suffix, name=upload.name, sha256=sha256,
                          publish=publish, reason=reason)
        context.update({"preview": result, "name": upload.name, "publish": publish, "token": token,
                        "sha256": sha256, "minutes": settings.DIAODU_PREVIEW_MINUTES})
        return render(request, "ingest/upload.html", context)
    return render(request, "ingest/upload.html", context)


@login_required
def confirm(request):
    if not scopes.can_import(request.user):
        raise PermissionDenied(NO_IMPORT)
    token = request.POST.get("preview", "") if request.method == "POST" else ""
    pending = previews.take(request.session, token)
    if not pending:
        messages.error(request, "没有待确认的导入（预览已过期或已确认），请重新上传。")
        return redirect("ingest:upload")
    path = previews.path_of(token, pending["suffix"])
    # The confirmation names the file it saw (its hash): a file changed or swapped since is not written.
    if (request.POST.get("sha256") != pending["sha256"] or not path.exists()
            or previews.file_hash(path) != pending["sha256"]):
        path.unlink(missing_ok=True)
        messages.error(request, f"“{pending['name']}”与预览时的文件不一致，未写入，请重新上传。")
        return redirect("ingest:upload")
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
    messages.success(request, f"“{pending['name']}”导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
    return redirect("ingest:upload")


@login_required
def template(request):
    path = _upload_dir() / f"template-{secrets.token_hex(4)}.xlsx"
    write_template(path)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename="调度数据导入模板.xlsx")
    path.unlink(missing_ok=True)  # the open handle keeps the data readable on POSIX
    return response
