"""The functions that write and check audit records (the hash chains live here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from diaodu.audit.models import AppendOnlyModel, ChainAnchor, ChangeRecord, LoginRecord

# Fixed keys for PostgreSQL's advisory locks that serialise each hash chain.
_CHAIN_LOCKS = {ChangeRecord: 727_001, LoginRecord: 727_002, ChainAnchor: 727_003}
CHAINS = {"change": ChangeRecord, "login": LoginRecord}
_ANCHORED = {ChangeRecord: "change", LoginRecord: "login"}  # heads written outside the database (anchor.py)
MINIMUM_RETENTION_MONTHS = 6  # 网络安全法 第二十一条: logs kept at least six months


def _append(record: AppendOnlyModel) -> AppendOnlyModel:
    """Link the record to the last of its chain and insert it."""
    model = type(record)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCKS[model]])
        last = model.objects.order_by("-id").values_list("hash", flat=True).first()
        if last is None and model is not ChainAnchor:
            last = _anchor_hash(model)
        record.prev_hash = last or ""
        record.hash = record.compute_hash()
        record.save()
        if model in _ANCHORED:
            from diaodu.audit import anchor

            chain, pk, digest = _ANCHORED[model], record.pk, record.hash
            transaction.on_commit(lambda: anchor.note(chain, pk, digest))
    return record


def _chain_name(model) -> str:
    return "change" if model is ChangeRecord else "login"


def _anchor(model) -> ChainAnchor | None:
    return ChainAnchor.objects.filter(chain=_chain_name(model)).order_by("-id").first()


def _anchor_hash(model) -> str:
    anchor = _anchor(model)
    return anchor.last_hash if anchor else ""


def record_change(
    user,
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    source: str = "web",
) -> ChangeRecord:
    """Append one change record; callers run inside their own transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return _append(
        ChangeRecord(
            time=timezone.now(),
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "system",
            action=action,
            object_type=object_type or "",
            object_id=object_id or "",
            object_repr=(object_repr or "")[:200],
            before=before,
            after=after,
            reason=(reason or "")[:300],
            source=source,
        )
    )


def history(obj, *related, limit: int = 200, text=None) -> list[dict]:
    """The change records of a record and of records belonging to it (``related``: querysets of
    its progress reports, arrivals, months …), newest first, each with the fields it changed as
    ``changes`` [(field's name, before, after)]: the 修改记录 of a ledger page. ``text(model, field,
    value)`` turns a stored value into what the page prints (default: as stored); the id is no change
    a reader needs."""
    text = text or (lambda model, field, value: value)
    wanted = Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    for qs in related:
        ids = [str(pk) for pk in qs.values_list("pk", flat=True)]
        if ids:
            wanted |= Q(object_type=qs.model._meta.label_lower, object_id__in=ids)
    out = []
    models: dict[str, tuple] = {}  # object_type -> (model, field → its Chinese name), once per type
    for record in ChangeRecord.objects.filter(wanted).order_by("-time", "-id")[:limit]:
        before, after = record.before or {}, record.after or {}
        # an empty value stored as None on one side and "" on the other is no change
        keys = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k) and k != "id"
                and not (before.get(k) in (None, "") and after.get(k) in (None, ""))]
        if record.object_type not in models:
            model = _model(record.object_type)
            models[record.object_type] = (model, {} if model is None else {
                f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")})
        model, names = models[record.object_type]
        out.append({"record": record, "changes": [
            (names.get(k, k), text(model, k, before.get(k)), text(model, k, after.get(k))) for k in keys]})
    return out


def _model(object_type: str):
    """The model of a change record's ``app.model`` (None if unknown)."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def latest_change_id() -> int:
    """The newest change record's id: the ledgers' clock. Every write to a ledger or a task is
    recorded in the same transaction, so a reading of the ledgers kept under this id is current
    until the next write."""
    return ChangeRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def record_login(event: str, username: str, request=None, detail: str = "") -> LoginRecord:
    """Append one login record (login, logout, failure, lock, password change …)."""
    ip, agent = None, ""
    if request is not None:
        ip = request.META.get("REMOTE_ADDR") or None
        agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    return _append(
        LoginRecord(time=timezone.now(), username=(username or "")[:150], event=event, ip=ip,
                    user_agent=agent, detail=(detail or "")[:200])
    )


def _verify(model) -> list[int]:
    bad = []
    prev = _anchor_hash(model) if model is not ChainAnchor else ""
    for record in model.objects.order_by("id").iterator(chunk_size=2000):
        if record.prev_hash != prev or record.compute_hash() != record.hash:
            bad.append(record.pk)
        prev = record.hash
    return bad


def verify_chain() -> list[int]:
    """Ids of change records whose hash or link does not verify (empty = intact)."""
    return _verify(ChangeRecord)


def verify_login_chain() -> list[int]:
    """Ids of login records whose hash or link does not verify (empty = intact)."""
    return _verify(LoginRecord)


@dataclass
class ChainReport:
    chain: str
    label: str
    count: int
    bad: list[int]


def verify_all() -> list[ChainReport]:
    """Every chain: change records, login records and the prune anchors."""
    return [
        ChainReport("change", "变更记录", ChangeRecord.objects.count(), _verify(ChangeRecord)),
        ChainReport("login", "登录记录", LoginRecord.objects.count(), _verify(LoginRecord)),
        ChainReport("anchor", "清理锚点", ChainAnchor.objects.count(), _verify(ChainAnchor)),
    ]


# --- retention ---------------------------------------------------------------

def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    month0 = moment.month - 1 - months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                           31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day)


def retention_months() -> int:
    return max(MINIMUM_RETENTION_MONTHS, settings.DIAODU_AUDIT_RETENTION_MONTHS)


def earliest_prunable_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """The latest ``--before`` a prune accepts: records younger than the
    retention period (at least six months) are never deleted."""
    return _months_before(timezone.localtime(now or timezone.now()), retention_months())


class RetentionError(Exception):
    """A prune would delete records younger than the retention period, or the chain is broken."""


@dataclass
class PruneResult:
    chain: str
    count: int
    last_id: int | None


def prune(before: dt.datetime, username: str, *, now: dt.datetime | None = None) -> list[PruneResult]:
    """Delete change and login records older than ``before`` (at least the
    retention period), leaving an anchor so the rest still verifies; the prune
    itself is a change record."""
    from diaodu.audit import triggers

    cutoff = earliest_prunable_cutoff(now)
    if before > cutoff:
        raise RetentionError(
            f"审计记录须保存至少 {retention_months()} 个月：只能清理 {cutoff:%Y-%m-%d} 之前的记录。"
        )
    results = []
    with transaction.atomic():
        for chain, model in CHAINS.items():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCKS[model]])
            bad = _verify(model)
            if bad:
                raise RetentionError(f"{model._meta.verbose_name} #{bad[0]} 哈希链校验未通过：先查明原因，不清理。")
            first_kept = model.objects.filter(time__gte=before).order_by("id").values_list("id", flat=True).first()
            doomed = model.objects.all() if first_kept is None else model.objects.filter(id__lt=first_kept)
            last = doomed.order_by("-id").first()
            if last is None:
                results.append(PruneResult(chain, 0, None))
                continue
            if doomed.filter(time__gt=cutoff).exists():  # a clock step back: never delete young rows
                raise RetentionError("待清理的记录中有未满保存期限的记录（时间顺序异常），不清理。")
            count = doomed.count()
            _append(ChainAnchor(time=timezone.now(), chain=chain, last_id=last.pk, last_hash=last.hash,
                                before=before, count=count, username=username))
            with triggers.lifted(connection):
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id <= %s", [last.pk])
            results.append(PruneResult(chain, count, last.pk))
        record_change(SimpleNamespace(pk=None, username=username), "delete", object_type="audit.records", object_id=f"before:{before:%Y-%m-%d}",
                      object_repr=f"清理 {before:%Y-%m-%d} 之前的审计记录",
                      after={r.chain: r.count for r in results}, reason=f"按保存期限清理（操作人 {username}）",
                      source="cli")
    return results
