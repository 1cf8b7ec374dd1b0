"""The pages every ledger gets from its :class:`~diaodu.core.ledgers.LedgerSpec` (NetBox's generic
views): ``/ledgers/`` lists the ledgers; ``/ledgers/<slug>/`` the records (search, county, the
spec's filters, 50 a page); ``/ledgers/<slug>/<pk>/`` one record with its fields, the records
belonging to it and its 修改记录; ``new/`` and ``<pk>/edit/`` the forms; ``export.xlsx`` the ledger
in its import shape.

Reads: ``scopes.restrict_ledger``. Writes go through the ledger's one write path: the spec's
``create``/``update`` for a record with its own owner (scope, change record, version: a form
loaded before someone else's save conflicts instead of overwriting it); a record of its parent's
(an enterprise's month, a chain's member) through ``save_child`` under the parent's scope and
version. A record belonging to a parent takes the parent's owner.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections import defaultdict
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from diaodu.audit import records
from diaodu.core import numbers, write_path
from diaodu.core.ledgers import LEDGERS, LedgerSpec, canonical
from diaodu.core.params import ID_MAX
from diaodu.org import scopes
from diaodu.org.models import Department, Region

PAGE_SIZE = 50
OWNER_FIELDS = ("region", "department")


def _spec(slug: str) -> LedgerSpec:
    name = canonical(slug)
    if name is None:
        raise Http404(f"没有名为 {slug} 的台账。")
    return LEDGERS[name]


def _queryset(user, spec: LedgerSpec):
    related = [f.name for f in spec.model._meta.concrete_fields if f.many_to_one]
    return scopes.restrict_ledger(user, spec.model.objects.select_related(*related))


def _owner(obj):
    """The record whose owner decides who writes it: the record, or its parent's record."""
    spec = _spec_of(obj)
    return obj if spec.owned else getattr(obj, spec.parent_field)


def _spec_of(obj) -> LedgerSpec:
    return next(spec for spec in LEDGERS.values() if spec.model is type(obj))


def can_write(user, obj) -> bool:
    return scopes.can_write_record(user, _owner(obj))


# --- what a cell shows -------------------------------------------------------------------------

UNIT_IN_NAME = re.compile(r"[（(]([^）)]+)[）)]\s*$")  # 计划总投资（亿元） → 亿元


def display(obj, name: str) -> str:
    """A field's value as the pages print it: choices by label, 是/否, dates ISO, amounts as the one
    formatter prints their unit (the one in the field's name: 亿元 with 2 decimals, 万元 whole …,
    at most 2 without a unit; the form and the export keep every stored decimal), owners by name;
    empty as —."""
    if name == "owner":
        return _owner(obj).owner_name
    return value_text(obj._meta.get_field(name), getattr(obj, name))


def value_text(field, value) -> str:
    """A value of ``field`` as :func:`display` prints it (also a value as a change record stored it:
    a decimal as its string, a choice as its code)."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField) and not isinstance(value, Decimal):
        value = numbers.decimal(value)
        if value is None:
            return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        unit = UNIT_IN_NAME.search(str(field.verbose_name))
        unit = unit.group(1) if unit else None
        return numbers.text(value, numbers.digits_for(unit, min(field.decimal_places, 2)), unit=unit)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(field, models.FileField):
        return "有" if value else "—"
    return str(value)


def history(obj, *related) -> list[dict]:
    """The 修改记录 of a ledger page (:func:`diaodu.audit.records.history`), each value as the pages
    print it (:func:`value_text`), a related record (所属县区, 所属项目 …) by its name: one query per
    related model the page's changes name."""
    wanted: dict = defaultdict(set)  # related model -> the keys the changes hold

    def keep(model, name: str, value):
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        if field is not None and field.is_relation and value not in (None, ""):
            wanted[field.related_model].update(value if isinstance(value, list) else [value])
        return field, value

    rows = records.history(obj, *related, text=keep)
    named = {model: {str(k): str(v) for k, v in model._default_manager.in_bulk(list(keys)).items()}
             for model, keys in wanted.items()}

    def text(field, value) -> str | None:
        if value is None or value == "":
            return None
        if field is None:
            return str(value)
        if not field.is_relation:
            return value_text(field, value)
        found = named.get(field.related_model, {})
        return "、".join(found.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))

    for row in rows:
        row["changes"] = [(name, text(*before), text(*after)) for name, before, after in row["changes"]]
    return rows


def cell(obj, name: str) -> dict:
    """A list cell: its text, and its class (numbers and dates align right, text left)."""
    field = None if name == "owner" else obj._meta.get_field(name)
    numeric = isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField, models.DateField)) \
        and not field.choices
    return {"text": display(obj, name), "css": "" if numeric else "name"}


def label(model, name: str) -> str:
    return "所属单位" if name == "owner" else str(model._meta.get_field(name).verbose_name)


def list_columns(spec: LedgerSpec) -> tuple[str, ...]:
    """The spec's columns, else the key fields, a name if the record has one, and the owner."""
    if spec.list_columns:
        return spec.list_columns
    names = {f.name for f in spec.model._meta.concrete_fields}
    extra = tuple(n for n in ("name",) if n in names and n not in spec.key_fields)
    return (*spec.key_fields, *extra, "owner")


def form_fields(spec: LedgerSpec) -> tuple[str, ...]:
    """The spec's form fields, else every editable field but files (a photo is uploaded on its
    ledger's own page, which checks it); a record belonging to a parent takes the parent's owner,
    so it has no owner fields of its own."""
    if spec.form_fields:
        return spec.form_fields
    skip = set(write_path.SKIP_FIELDS)
    if spec.parent is not None:
        skip.update(OWNER_FIELDS)
    return tuple(f.name for f in spec.model._meta.concrete_fields
                 if f.editable and not f.primary_key and f.name not in skip and not isinstance(f, models.FileField))


def search_fields(spec: LedgerSpec) -> list[str]:
    return [f.name for f in spec.model._meta.concrete_fields
            if isinstance(f, models.CharField) and not f.choices
            and (f.name in spec.key_fields or f.name in ("name", "location", "title"))]


# --- the form ----------------------------------------------------------------------------------

def _formfield(field, **kwargs):
    if isinstance(field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return field.formfield(**kwargs)


class LedgerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    spec: LedgerSpec  # set by form_for

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].queryset = Region.objects.home_units()
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.order_by("code")
        parent = self.fields.get(self.spec.parent_field)
        if parent is not None:
            parents = scopes.restrict_ledger(user, LEDGERS[self.spec.parent].model.objects.all())
            if self.instance.pk:  # the parent is fixed: list only it
                parents = parents.filter(pk=getattr(self.instance, f"{self.spec.parent_field}_id"))
            parent.queryset = parents
        if self.instance.pk:  # a record keeps the key a file names it by, and its parent
            for name in (*self.spec.key_fields, self.spec.parent_field):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get(self.spec.parent_field) if self.spec.parent_field else None
        if parent is not None and self.spec.owned:
            # The record belongs to its parent's owner (the model checks it too).
            self.instance.region_id, self.instance.department_id = parent.region_id, parent.department_id
        return cleaned


def form_for(spec: LedgerSpec) -> type[LedgerForm]:
    meta = type("Meta", (), {"model": spec.model, "fields": form_fields(spec), "formfield_callback": _formfield})
    return type(f"{spec.model.__name__}LedgerForm", (LedgerForm,), {"Meta": meta, "spec": spec})


def _errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _save(request, spec: LedgerSpec, form: LedgerForm, obj=None) -> int | None:
    """Write the form through the ledger's write path: None when written, else the HTTP status
    of the refusal (the form holds its message): 403 out of scope, 409 stale version, 400 invalid."""
    data = form.cleaned_data
    reason, expected = data.get("reason") or "网页填报", data.get("version")
    try:
        if not spec.owned:
            parent = getattr(form.instance, spec.parent_field)
            changed = write_path.save_child(request.user, parent, form.instance, expected_version=expected,
                                            reason=reason, source="web")
        elif obj is None:
            spec.create(request.user, form.instance, reason=reason, source="web")
            changed = True
        else:
            changes = {name: data[name] for name in form.fields
                       if name not in ("version", "reason") and not form.fields[name].disabled}
            changed = spec.update(request.user, obj, changes, expected_version=expected, reason=reason, source="web")
    except scopes.ScopeError as exc:  # an owner outside the user's scope
        form.add_error(None, str(exc))
        return 403
    except write_path.ConflictError as exc:
        form.add_error(None, str(exc))
        return 409
    except ValidationError as exc:
        _errors(form, exc)
        return 400
    messages.success(request, "已保存。" if changed else "内容未变化。")
    return None


# --- views -------------------------------------------------------------------------------------

@login_required
def index(request):
    rows = [{"spec": spec, "count": scopes.restrict_ledger(request.user, spec.model.objects.all()).count(),
             "parent": LEDGERS[spec.parent].label if spec.parent else ""} for spec in LEDGERS.values()]
    return render(request, "ledgers/index.html", {"rows": rows, "can_import": scopes.can_import(request.user)})


def _param(request, name: str, length: int = 20) -> str:
    """A query parameter as text a database takes (PostgreSQL refuses NUL), cut to ``length``."""
    return (request.GET.get(name) or "").replace("\x00", "").strip()[:length]


def _filter_value(field, value: str):
    """``value`` as the field holds it; ValidationError when it cannot (words for a year, a number
    beyond what the database stores)."""
    if isinstance(field, models.BooleanField):
        return value == "1"
    value = field.to_python(value)
    if isinstance(value, int) and not -ID_MAX <= value <= ID_MAX:
        raise ValidationError("超出范围")
    return value


@login_required
def record_list(request, slug: str):
    spec = _spec(slug)
    qs = _queryset(request.user, spec)
    q = _param(request, "q", 60)
    if q and search_fields(spec):
        match = Q()
        for name in search_fields(spec):
            match |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(match)
    region = _param(request, "region")
    if region and hasattr(spec.model, "region_id"):
        qs = qs.filter(region_id=region)
    filters = []
    for name in spec.filters:
        field = spec.model._meta.get_field(name)
        value = _param(request, name)
        if value:
            try:
                qs = qs.filter(**{name: _filter_value(field, value)})
            except ValidationError:  # a value the field cannot hold matches nothing
                qs = qs.none()
        boolean = isinstance(field, models.BooleanField)
        choices = [("1", "是"), ("0", "否")] if boolean else list(field.choices or [])
        filters.append({"name": name, "label": field.verbose_name, "choices": choices, "value": value})
    page = Paginator(qs.order_by(*(spec.model._meta.ordering or ["pk"]), "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    columns = list_columns(spec)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "ledgers/list.html", {
        "spec": spec, "page": page, "params": params.urlencode(), "q": q, "searchable": bool(search_fields(spec)),
        "headers": [label(spec.model, c) for c in columns], "filters": filters,
        "rows": [{"obj": obj, "cells": [cell(obj, c) for c in columns]} for obj in page],
        "counties": Region.objects.home_counties() if hasattr(spec.model, "region_id") else [], "region": region,
        "can_add": scopes.writes_ledgers(request.user),
    })


@login_required
def record_detail(request, slug: str, pk: int):
    spec = _spec(slug)
    obj = get_object_or_404(_queryset(request.user, spec), pk=pk)
    children, related = [], []
    for child in spec.children():
        qs = _queryset(request.user, child).filter(**{child.parent_field: obj})
        related.append(qs)
        columns = [c for c in list_columns(child) if c not in (child.parent_field, "owner")]
        shown = list(qs.order_by(*(child.model._meta.ordering or ["pk"]), "pk")[:PAGE_SIZE])
        children.append({"spec": child, "headers": [label(child.model, c) for c in columns], "total": qs.count(),
                         "rows": [{"obj": o, "cells": [cell(o, c) for c in columns]} for o in shown]})
    names = ["owner", *(n for n in form_fields(spec) if n not in OWNER_FIELDS)]
    return render(request, "ledgers/detail.html", {
        "spec": spec, "obj": obj, "fields": [(label(spec.model, n), display(obj, n)) for n in names],
        "children": children, "history": history(obj, *related),
        "can_write": can_write(request.user, obj),
        "parent_url": (reverse("ledgers:detail", args=[spec.parent, getattr(obj, f"{spec.parent_field}_id")])
                       if spec.parent else ""),
    })


@login_required
def record_new(request, slug: str):
    spec = _spec(slug)
    if not scopes.writes_ledgers(request.user):
        raise PermissionDenied("无权新增台账记录：需要“数据填报”“数据审核”或“管理员”角色。")
    Form = form_for(spec)
    initial = {}
    if spec.parent_field and request.GET.get(spec.parent_field, "").isdigit():
        initial[spec.parent_field] = int(request.GET[spec.parent_field])
    form = Form(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        status = _save(request, spec, form)
        if status is None:
            return redirect("ledgers:detail", spec.slug, form.instance.pk)
    return render(request, "ledgers/form.html", {"spec": spec, "form": form}, status=status)


@login_required
def record_edit(request, slug: str, pk: int):
    spec = _spec(slug)
    obj = get_object_or_404(_queryset(request.user, spec), pk=pk)
    if not can_write(request.user, obj):
        raise PermissionDenied("无权修改该台账记录：只能修改本单位的记录。")
    version = _owner(obj).version
    Form = form_for(spec)
    instance = _queryset(request.user, spec).get(pk=pk)  # the form's copy; ``obj`` stays as loaded
    form = Form(request.POST or None, instance=instance, user=request.user,
                initial={"version": version})
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        status = _save(request, spec, form, obj)
        if status is None:
            return redirect("ledgers:detail", spec.slug, obj.pk)
    return render(request, "ledgers/form.html", {"spec": spec, "form": form, "obj": obj}, status=status)


@login_required
def record_export(request, slug: str):
    """The ledger as a file in its import shape: edit it and import it back (导入)."""
    spec = _spec(slug)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{spec.slug}.xlsx"
        spec.export(target)
        data = target.read_bytes()
    return FileResponse(BytesIO(data), as_attachment=True, filename=f"{spec.label}.xlsx")


app_name = "ledgers"
urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", record_list, name="list"),
    path("<slug:slug>/new/", record_new, name="new"),
    path("<slug:slug>/export.xlsx", record_export, name="export"),
    path("<slug:slug>/<int:pk>/", record_detail, name="detail"),
    path("<slug:slug>/<int:pk>/edit/", record_edit, name="edit"),
]
