"""A change record as an auditor reads it on the page: each field by its Chinese name, a choice by
its label (生产状态：停产, not status: stopped), an update by the fields it changed only.
The record itself (and its Excel and CSV downloads) keeps the stored names and values."""

from __future__ import annotations

import functools
import json

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

# Keys of records that are not one object's fields: batch writes, imports, releases, passwords.
KEY_LABELS = {
    "count": "条数", "ids": "编号", "created": "新增", "updated": "修改", "unchanged": "未变",
    "published": "发布", "accepted_warnings": "确认的警示", "official_release": "正式发布",
    "period": "期别", "scope": "范围", "indicators": "指标", "password": "密码",
}
LONG_LIST = 10  # a longer list of ids is shown by its count, first and last


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


@functools.cache
def _field_order(model) -> dict[str, int]:
    return {f.name: i for i, f in enumerate(model._meta.get_fields())}


def _label(model, key: str) -> str:
    field = _field(model, key)
    return str(getattr(field, "verbose_name", "") or KEY_LABELS.get(key, key))


class _Names:
    """The names of the objects the records' foreign keys point to (礼县, not 621226), read in one
    query per related model; an object deleted since shows its stored key."""

    def __init__(self, records):
        wanted: dict = {}
        for record in records:
            model = _model(record.object_type)
            for side in (record.before, record.after):
                for key, value in (side.items() if isinstance(side, dict) else ()):
                    field = _field(model, key)
                    if value is not None and getattr(field, "many_to_one", False):
                        wanted.setdefault(field.related_model, set()).add(value)
        self.names = {related: {str(obj.pk): str(obj) for obj in related._default_manager.filter(pk__in=keys)}
                      for related, keys in wanted.items()}

    def value(self, model, key: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return "是" if value else "否"
        field = _field(model, key)
        if getattr(field, "many_to_one", False):
            return self.names.get(field.related_model, {}).get(str(value), str(value))
        choices = dict(getattr(field, "flatchoices", None) or ())
        if isinstance(value, list):
            if len(value) > LONG_LIST and all(isinstance(v, int) for v in value):
                return f"{len(value)} 个（{value[0]}…{value[-1]}）"
            return "、".join(str(choices.get(v, v)) for v in value)
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return str(choices.get(value, value))


def _lines(names: _Names, model, side, keys=None) -> list[str]:
    """``keys``: the changed fields of an update (each shown, empty or not); without them, the
    fields of a created or deleted object that hold something."""
    if not isinstance(side, dict):
        return [] if side is None else [str(side)]
    if keys is None:
        keys = [k for k, v in side.items() if v not in (None, "", [])]
    if model is not None:  # in the model's order: PostgreSQL's jsonb keeps no key order
        order = _field_order(model)
        keys = sorted(keys, key=lambda k: order.get(k, len(order)))
    return [f"{_label(model, k)}：{names.value(model, k, side.get(k))}" for k in keys if k != "id"]


def change_rows(records) -> list[tuple]:
    """Per record (record, before lines, after lines), each line "字段：值": of an update, the fields
    whose value changed; of a creation or a deletion, every field that holds something but the id.
    A side that is not a dict is shown as it is."""
    records = list(records)
    names = _Names(records)
    rows = []
    for record in records:
        model, before, after = _model(record.object_type), record.before, record.after
        changed = None
        if isinstance(before, dict) and isinstance(after, dict):
            changed = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        rows.append((record, _lines(names, model, before, changed), _lines(names, model, after, changed)))
    return rows
