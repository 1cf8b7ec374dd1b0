"""The one write path of ledger records (:class:`diaodu.core.models.OwnedLedger`).

``create_record``, ``update_record`` and ``delete_record`` check the user's scope
(``scopes.check_write_record``), write, and leave a change record with before and after;
``versioned_update`` is the optimistic-concurrency update that ledgers and tasks share. Every
ledger's actions, views, API, importer and admin call them (Zulip's ``do_*`` actions).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict

from diaodu.audit.records import record_change
from diaodu.core.models import OwnedLedger
from diaodu.org import scopes

SKIP_FIELDS = {"created_at", "updated_at", "created_by", "updated_by", "version"}


def snapshot(obj) -> dict:
    """A JSON-able picture of a record's own fields, for change records."""
    out = {}
    for key, value in model_to_dict(obj).items():
        if key in SKIP_FIELDS:
            continue
        if isinstance(value, FieldFile):  # before the generic checks: .url raises on an empty file
            value = value.name or None
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            # 1.5 and 1.5000 are the same amount: no spurious change when a form gives fewer decimals
            value = format(value.normalize(), "f") if value.is_finite() else str(value)
        elif isinstance(value, (list, tuple, set)):
            value = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "name") and hasattr(value, "url"):  # file fields
            value = getattr(value, "name", None) or None
        out[key] = value
    return out


class ConflictError(Exception):
    """The record changed since the user loaded it."""


def create_record(user, obj: OwnedLedger, *, reason: str = "", source: str = "web") -> OwnedLedger:
    scopes.check_write_record(user, obj)
    with transaction.atomic():
        obj.created_by = obj.updated_by = user
        obj.full_clean()
        obj.save()
        record_change(user, "create", obj, after=snapshot(obj), reason=reason, source=source)
    return obj


def update_record(user, obj: OwnedLedger, changes: dict, *, expected_version: int | None = None,
                  reason: str = "", source: str = "web") -> bool:
    """Apply field changes; returns False when nothing changed. Moving a record
    to another owner needs write scope on both the old and the new owner."""
    return versioned_update(user, obj, changes, expected_version=expected_version, reason=reason, source=source)


def versioned_update(user, obj, changes: dict, *, expected_version: int | None = None, reason: str = "",
                     source: str = "web", check=scopes.check_write_record, picture=snapshot) -> bool:
    """The one versioned write of a record's fields (ledgers, tasks): lock the row, ``check`` the
    user against it before and after the change (a move to another owner needs both), refuse a
    stale ``expected_version``, validate, bump the version, save, and record ``picture`` before and
    after. False, and nothing written, when nothing changed."""
    with transaction.atomic():
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        check(user, current)
        check_version(current, expected_version)
        before = picture(current)
        for field, value in changes.items():
            setattr(current, field, value)
        check(user, current)
        after = picture(current)
        if after == before:
            return False
        current.full_clean()
        current.version += 1
        current.updated_by = user
        current.save()
        record_change(user, "update", current, before=before, after=after, reason=reason, source=source)
        obj.__dict__.update(current.__dict__)
    return True


def check_version(current, expected_version: int | None) -> None:
    """ConflictError when the record's version is not the one the user loaded."""
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(f"“{current}”已被他人修改（当前版本 {current.version}），请刷新后重试。")


def delete_record(user, obj: OwnedLedger, *, reason: str = "", source: str = "web") -> None:
    scopes.check_write_record(user, obj)
    with transaction.atomic():
        record_change(user, "delete", obj, before=snapshot(obj), reason=reason, source=source)
        obj.delete()


def save_child(user, parent: OwnedLedger, obj: models.Model, *, expected_version: int | None = None,
               reason: str = "", source: str = "web") -> bool:
    """Create or update a row that belongs to a ledger record (monthly figures,
    members …) under the parent's scope, with a change record; returns False when
    an existing row is unchanged. The parent's version is bumped so that a form
    loaded before the change conflicts: ``expected_version`` is the parent's version
    the form was loaded with."""
    scopes.check_write_record(user, parent)
    with transaction.atomic():
        if expected_version is not None:
            check_version(type(parent).objects.select_for_update().get(pk=parent.pk), expected_version)
        current = type(obj).objects.select_for_update().filter(pk=obj.pk).first() if obj.pk else None
        before = snapshot(current) if current is not None else None
        obj.full_clean()  # also turns form and file values into the field's type before the snapshot
        after = snapshot(obj)
        if before is not None and before == after:
            return False
        obj.save()
        type(parent).objects.filter(pk=parent.pk).update(version=models.F("version") + 1)
        record_change(user, "update" if before is not None else "create", obj, before=before, after=after,
                      reason=reason, source=source)
    return True


def bulk_create_records(user, objs: list[OwnedLedger], *, reason: str = "", source: str = "import",
                        batch_size: int = 1000) -> list[OwnedLedger]:
    """Create many records of one model at once (a demo or a large first load):
    the same scope check per owner, one validated batch, and one change record
    listing what was created — instead of a record per row."""
    if not objs:
        return objs
    for obj in {(o.region_id, o.department_id): o for o in objs}.values():  # one check per owner
        scopes.check_write_record(user, obj)
    model = type(objs[0])
    # Foreign keys are checked by the database; validating them field by field
    # would cost a query per key per row.
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    with transaction.atomic():
        for obj in objs:
            obj.created_by = obj.updated_by = user
            obj.clean_fields(exclude=relations)
            obj.clean()
        created = model.objects.bulk_create(objs, batch_size=batch_size)
        record_change(
            user, "create", object_type=model._meta.label_lower, object_id="batch",
            object_repr=f"批量新增{model._meta.verbose_name} {len(created)} 条",
            after={"count": len(created), "ids": [o.pk for o in created][:2000]},
            reason=reason, source=source,
        )
    return created
