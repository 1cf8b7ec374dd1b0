"""Importing and exporting ledgers (projects, deals, enterprises …) through the
one mechanism: declare columns as ``Field``s bound to model fields; rows are
validated together and written through ``diaodu.core.write_path`` in one
transaction, keyed by the ledger's natural key (统一项目代码, 统一社会信用代码 …).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Q

from diaodu.core import write_path
from diaodu.core.limits import too_long
from diaodu.core.parsing import cell_text, parse_number
from diaodu.ingest.exports import write_table
from diaodu.ingest.tabular import Column, Importer, RowProblems
from diaodu.org import scopes
from diaodu.org.models import Department, Region


@dataclass(frozen=True)
class Field:
    """One column of a ledger file, bound to a model field.

    kind: text, number, int, date, bool, choice (by label or value), region
    (county by name or code), department (by name or alias).
    """

    name: str  # model field
    label: str  # Chinese header
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    aliases: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None

    def column(self) -> Column:
        return Column(self.name, self.label, self.name, self.aliases, required=self.required and self.kind != "bool")


class UnitLookup:
    def __init__(self):
        # A ledger names the home city's units (the city, its 县区, its departments); the province
        # and its other 市州 are known too, so that an importer can say “not of this city”.
        home = Region.objects.home()
        province = home.parent_id if home else None
        home = home.code if home else None
        self.regions = {}
        for region in Region.objects.filter(Q(code=home) | Q(parent_id=home) | Q(code=province)
                                            | Q(parent_id=province)).order_by("code"):
            for key in (region.code, region.name, region.short_name):
                self.regions.setdefault(key, region)
        self.departments = {}
        for dept in Department.objects.filter(region_id=home):
            for key in (dept.code, dept.name, dept.full_name, *dept.aliases):
                if key:
                    self.departments.setdefault(key, dept)


def parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日-")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise ValueError(f"日期“{cell_text(value)}”格式不对，应为 YYYY-MM-DD")


class LedgerImporter(Importer):
    """Subclasses set ``model``, ``fields`` and ``key_field`` (the natural key)."""

    model = None
    fields: tuple[Field, ...] = ()
    key_field = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.columns = tuple(f.column() for f in cls.fields)

    def __init__(self, user, *, reason: str = "", source: str = "import", **options):
        super().__init__(user, **options)
        self.reason = reason or "文件导入"
        self.source = source
        self.units = UnitLookup()
        self.existing = {self.object_key(o): o for o in self.model.objects.all()}

    def object_key(self, obj):
        """A stored record's key, as ``bind_row`` puts it in the bound values."""
        return getattr(obj, self.key_field)

    def convert(self, field: Field, raw):
        text = cell_text(raw)
        if field.kind == "bool":
            if text in ("", "否", "0", "false", "False", "N", "n"):
                return False
            if text in ("是", "1", "true", "True", "Y", "y", "√"):
                return True
            raise ValueError(f"“{text}”应为 是 或 否")
        if text == "":
            if field.required:
                raise ValueError(f"{field.label}不能为空")
            return None if field.kind not in ("text", "choice") else ""
        if field.kind in ("number", "int"):
            number = parse_number(raw, field.label)
            if field.min_value is not None and number < field.min_value:
                raise ValueError(f"{field.label} {number:g} 小于 {field.min_value:g}")
            if field.max_value is not None and number > field.max_value:
                raise ValueError(f"{field.label} {number:g} 大于 {field.max_value:g}")
            if field.kind == "int":
                if not float(number).is_integer():
                    raise ValueError(f"{field.label}“{text}”应为整数")
                return int(number)
            return self.to_model_number(field, number)
        if field.kind == "date":
            return parse_date(raw)
        if field.kind == "choice":
            for value, label in field.choices:
                if text in (value, label):
                    return value
            raise ValueError(f"{field.label}“{text}”应为：{'、'.join(label for _, label in field.choices)}")
        if field.kind == "region":
            region = self.units.regions.get(text)
            if region is None:
                raise ValueError(f"未知的县区“{text}”")
            return region
        if field.kind == "department":
            dept = self.units.departments.get(text)
            if dept is None:
                raise ValueError(f"未知的部门“{text}”")
            return dept
        limit = self.max_length(field)
        if limit and len(text) > limit:
            raise ValueError(too_long(field.label, limit))  # as the web form and the API say it; never cut
        return text

    def max_length(self, field: Field) -> int | None:
        try:
            return getattr(self.model._meta.get_field(field.name), "max_length", None)
        except Exception:
            return None

    def to_model_number(self, field: Field, number: float):
        """A DecimalField gets a Decimal at its own precision, so that an
        exported then re-imported amount compares equal and changes nothing."""
        try:
            model_field = self.model._meta.get_field(field.name)
        except Exception:
            return number
        if isinstance(model_field, DecimalField):
            return Decimal(repr(number)).quantize(Decimal(1).scaleb(-model_field.decimal_places))
        return number

    def validate(self, values: dict) -> list[tuple[str, str]]:
        """Cross-field checks of one row; override."""
        return []

    def bind_row(self, cells):
        problems, values = [], {}
        for field in self.fields:
            try:
                values[field.name] = self.convert(field, cells.get(field.name))
            except ValueError as exc:
                problems.append((field.name, str(exc)))
        if not problems:
            problems += self.validate(values)
        region = values.get("region")
        department = values.get("department")
        existing = self.existing.get(values.get(self.key_field))
        if not problems:
            owners = [(getattr(region, "code", None), getattr(department, "pk", None))]
            if existing is not None:
                owners.append((existing.region_id, existing.department_id))
            if not all(scopes.can_write_owned(self.user, self.model, r, d) for r, d in owners):
                problems.append(("region" if "region" in values else self.key_field,
                                 "无权修改该记录：只能导入本单位的台账"))
        if problems:
            raise RowProblems(problems)
        return values

    def key_of(self, record):
        return record.get(self.key_field)

    def write(self, records, *, dry_run):
        summary = type("Summary", (), {"created": 0, "updated": 0, "unchanged": 0})()
        for values in records:
            obj = self.existing.get(values[self.key_field])
            if obj is None:
                summary.created += 1
                if not dry_run:
                    self.save_new(values)
            else:
                changed = self.save_changes(obj, values, dry_run)
                if changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
        return summary

    def save_new(self, values):
        obj = self.model(**values)
        write_path.create_record(self.user, obj, reason=self.reason, source=self.source)
        return obj

    def save_changes(self, obj, values, dry_run) -> bool:
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if not changed:
            return False
        if not dry_run:
            write_path.update_record(self.user, obj, changed, reason=self.reason, source=self.source)
        return True

    # --- export ----------------------------------------------------------
    @classmethod
    def export_value(cls, field: Field, value):
        if value is None:
            return None
        if field.kind == "choice":
            return dict(field.choices).get(value, value)
        if field.kind == "region":
            return value.name
        if field.kind == "department":
            return value.name
        if field.kind == "bool":
            return "是" if value else "否"
        if field.kind == "date":
            return value.isoformat()
        return value

    @classmethod
    def export(cls, path: str | Path, queryset=None) -> int:
        qs = queryset if queryset is not None else cls.model.objects.all()
        related = [f.name for f in cls.fields if f.kind in ("region", "department")]
        rows = (
            [cls.export_value(f, getattr(obj, f.name)) for f in cls.fields]
            for obj in qs.select_related(*related).order_by(cls.key_field)
        )
        return write_table(Path(path), [f.label for f in cls.fields], rows, cls.title or "台账")


class ChildImporter(LedgerImporter):
    """Rows that belong to a parent ledger record, one per parent and month
    (progress reports, funds arrived); the owner is always the parent's."""

    parent_model = None
    parent_field = ""  # the child's FK to the parent
    parent_key = "code"  # the parent's natural key
    parent_label = ""

    def __init__(self, user, **options):
        super(LedgerImporter, self).__init__(user, **options)
        self.reason = options.get("reason") or "文件导入"
        self.source = options.get("source") or "import"
        self.parents = {getattr(p, self.parent_key): p for p in self.parent_model.objects.all()}
        self.existing = {
            (getattr(getattr(o, self.parent_field), self.parent_key), o.year, o.month): o
            for o in self.model.objects.select_related(self.parent_field)
        }

    def convert(self, field, raw):
        if field.kind == "parent":
            text = cell_text(raw)
            if not text:
                raise ValueError(f"{field.label}不能为空")
            if text not in self.parents:
                raise ValueError(f"{self.parent_label}中没有{field.label}“{text}”")
            return self.parents[text]
        return super().convert(field, raw)

    def bind_row(self, cells):
        problems, values = [], {}
        for field in self.fields:
            try:
                values[field.name] = self.convert(field, cells.get(field.name))
            except ValueError as exc:
                problems.append((field.name, str(exc)))
        if not problems:
            if not 1 <= values["month"] <= 12:
                problems.append(("month", "月份应在 1 到 12 之间"))
            problems += self.validate(values)
        parent = values.get(self.parent_field)
        if not problems and not scopes.can_write_ledger(self.user, parent.region_id, parent.department_id):
            problems.append((self.parent_field, f"无权修改“{parent.name}”：只能导入本单位的台账"))
        if problems:
            raise RowProblems(problems)
        return values

    def key_of(self, record):
        return (getattr(record[self.parent_field], self.parent_key), record["year"], record["month"])

    def write(self, records, *, dry_run):
        summary = type("Summary", (), {"created": 0, "updated": 0, "unchanged": 0})()
        for values in records:
            obj = self.existing.get(self.key_of(values))
            if obj is None:
                summary.created += 1
                if not dry_run:
                    self.save_row(values)
            elif any(getattr(obj, k) != v for k, v in values.items()):
                summary.updated += 1
                if not dry_run:
                    self.save_row(values)
            else:
                summary.unchanged += 1
        return summary

    def save_row(self, values):
        raise NotImplementedError

    @classmethod
    def export_value(cls, field, value):
        if field.kind == "parent":
            return getattr(value, cls.parent_key)
        return super().export_value(field, value)

    @classmethod
    def export(cls, path: str | Path, queryset=None) -> int:
        qs = queryset if queryset is not None else cls.model.objects.all()
        rows = ([cls.export_value(f, getattr(obj, f.name)) for f in cls.fields]
                for obj in qs.select_related(cls.parent_field)
                .order_by(f"{cls.parent_field}__{cls.parent_key}", "year", "month"))
        return write_table(Path(path), [f.label for f in cls.fields], rows, cls.title)


class ModelCheckedImporter(LedgerImporter):
    """A ledger importer that also runs the model's own validation (field
    validators and ``clean()``) on every row while binding, so a row the write
    path would refuse is reported as 工作表/行/列 instead of failing mid-write."""

    def validate(self, values: dict) -> list[tuple[str, str]]:
        existing = self.existing.get(values.get(self.key_field))
        obj = copy.copy(existing) if existing is not None else self.model()
        for key, value in values.items():
            setattr(obj, key, value)
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            names = {f.name for f in self.fields}
            return [(key if key in names else self.key_field, "；".join(messages))
                    for key, messages in exc.message_dict.items()]
        return []


class CompositeKeyImporter(ModelCheckedImporter):
    """A ledger keyed by several fields (``key_fields``): the key is carried in the
    bound values as ``_key`` and dropped before writing."""

    key_field = "_key"
    key_fields: tuple[str, ...] = ()

    def object_key(self, obj) -> tuple:
        return tuple(getattr(obj, f"{name}_id" if name == "region" else name) for name in self.key_fields)

    def values_key(self, values) -> tuple:
        return tuple(getattr(values.get(name), "pk", values.get(name)) for name in self.key_fields)

    def validate(self, values):
        values["_key"] = self.values_key(values)
        return super().validate(values)

    def save_new(self, values):
        return super().save_new({k: v for k, v in values.items() if k != "_key"})

    def save_changes(self, obj, values, dry_run):
        return super().save_changes(obj, {k: v for k, v in values.items() if k != "_key"}, dry_run)

    @classmethod
    def export(cls, path, queryset=None) -> int:
        qs = queryset if queryset is not None else cls.model.objects.all()
        related = [f.name for f in cls.fields if f.kind in ("region", "department")]
        rows = ([cls.export_value(f, getattr(obj, f.name)) for f in cls.fields]
                for obj in qs.select_related(*related).order_by(*cls.export_order))
        return write_table(path, [f.label for f in cls.fields], rows, cls.title)
