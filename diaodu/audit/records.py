"""The one function that writes change records (the hash chain lives here)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from diaodu.audit.models import ChangeRecord

# A fixed key for PostgreSQL's advisory lock that serialises the hash chain.
_CHAIN_LOCK = 727_001


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
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = ChangeRecord.objects.order_by("-id").values_list("hash", flat=True).first()
        record = ChangeRecord(
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
            prev_hash=last or "",
        )
        record.hash = record.compute_hash()
        record.save()
    return record


def verify_chain() -> list[int]:
    """Ids of change records whose hash or link does not verify (empty = intact)."""
    bad = []
    prev = ""
    for record in ChangeRecord.objects.order_by("id").iterator():
        if record.prev_hash != prev or record.compute_hash() != record.hash:
            bad.append(record.pk)
        prev = record.hash
    return bad
