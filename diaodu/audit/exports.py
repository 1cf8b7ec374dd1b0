"""Audit records as tables (.xlsx with one sheet per kind, or .csv of one kind)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone

from diaodu.audit.models import ChangeRecord, LoginRecord
from diaodu.core import tables

CHANGE_HEADERS = ["编号", "时间", "用户名", "操作", "对象类型", "对象", "对象名称", "修改前", "修改后", "原因", "途径", "哈希"]
LOGIN_HEADERS = ["编号", "时间", "用户名", "事件", "IP", "浏览器", "说明", "哈希"]
SHEETS = {"change": ("变更记录", CHANGE_HEADERS), "login": ("登录记录", LOGIN_HEADERS)}


def _time(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def change_rows(qs: QuerySet):
    for r in qs.order_by("id").iterator(chunk_size=2000):
        yield [r.pk, _time(r.time), r.username, r.get_action_display(), r.object_type, r.object_id, r.object_repr,
               _json(r.before), _json(r.after), r.reason, r.source, r.hash]


def login_rows(qs: QuerySet):
    for r in qs.order_by("id").iterator(chunk_size=2000):
        yield [r.pk, _time(r.time), r.username, r.get_event_display(), r.ip or "", r.user_agent, r.detail, r.hash]


def querysets(since: dt.datetime | None = None) -> dict[str, QuerySet]:
    change, login = ChangeRecord.objects.all(), LoginRecord.objects.all()
    if since is not None:
        change, login = change.filter(time__gte=since), login.filter(time__gte=since)
    return {"change": change, "login": login}


def write_xlsx(target, sets: dict[str, QuerySet]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for kind, qs in sets.items():
        title, headers = SHEETS[kind]
        sheet = book.create_sheet(title)
        sheet.append(headers)
        tables.append_rows(sheet, change_rows(qs) if kind == "change" else login_rows(qs))
    book.save(target)


def write_csv(handle, kind: str, qs: QuerySet) -> None:
    tables.write_csv(handle, SHEETS[kind][1], change_rows(qs) if kind == "change" else login_rows(qs))


def export(path: Path, *, kind: str = "all", since: dt.datetime | None = None) -> dict[str, int]:
    """Write the records to ``path`` (.xlsx: both kinds; .csv: one kind, change by default)."""
    sets = querysets(since)
    if path.suffix.lower() == ".csv":
        kind = "change" if kind == "all" else kind
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            write_csv(handle, kind, sets[kind])
        return {kind: sets[kind].count()}
    chosen = sets if kind == "all" else {kind: sets[kind]}
    write_xlsx(str(path), chosen)
    return {k: qs.count() for k, qs in chosen.items()}
