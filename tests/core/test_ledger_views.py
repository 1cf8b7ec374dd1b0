"""The pages every ledger gets from its spec (``diaodu.core.ledger_views``), checked for every
registered ledger on the demo's ledgers: list, record, edit, a stale version refused (409),
another unit's record refused (403), a new record, the change history, the export, and a ceiling
on each page's queries. A ledger added with a spec gets these tests without writing any.

The demo is committed once for the module; each test runs in a transaction rolled back after it.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook

from diaodu.audit.models import ChangeRecord
from diaodu.core import ledger_views
from diaodu.core.ledgers import LEDGERS
from tests.helpers import demo_database

SPECS = list(LEDGERS.values())
IDS = [s.slug for s in SPECS]
# Queries a page may make whatever the ledger's size (session, user and scope, the records with
# their owners and parents in one query, counts, history and one query per related model its
# changes name): a per-row query would break these.
MAX_QUERIES = {"list": 11, "detail": 15, "edit": 14}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker):
        yield


def user(name: str):
    return get_user_model().objects.get(username=name)


def client_as(name: str) -> Client:
    client = Client()
    client.force_login(user(name))
    return client


def first_record(spec, *, writable_by: str | None = None, not_writable_by: str | None = None):
    """The ledger's first record (by pk) that the named user may (or may not) write."""
    for obj in spec.model.objects.order_by("pk")[:500]:
        if writable_by and not ledger_views.can_write(user(writable_by), obj):
            continue
        if not_writable_by and ledger_views.can_write(user(not_writable_by), obj):
            continue
        return obj
    raise AssertionError(f"{spec.slug}: the demo has no such record")


def posted(spec, obj) -> dict:
    """What the edit form of ``obj`` posts back unchanged (the browser's view of the form)."""
    form = ledger_views.form_for(spec)(instance=obj, user=user("admin"),
                                       initial={"version": ledger_views._owner(obj).version})
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(field, forms.FileField):  # a stored file stays as it is
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def a_change(spec, obj) -> tuple[str, str, object]:
    """(field, posted value, the value the record should then hold) of one field a user edits:
    the first free text, else the first amount."""
    form = ledger_views.form_for(spec)(instance=obj, user=user("admin"))
    for name, field in form.fields.items():
        model_field = spec.model._meta.get_field(name) if name not in ("version", "reason") else None
        if model_field is None or field.disabled or model_field.choices:
            continue
        if isinstance(model_field, models.CharField) and not model_field.primary_key:
            text = f"{getattr(obj, name) or ''}（网页修改）"[: model_field.max_length]
            return name, text, text
        if isinstance(model_field, models.DecimalField):
            value = (getattr(obj, name) or Decimal(0)) + 1
            return name, str(value), value
    raise AssertionError(f"{spec.slug}: no field a user could edit")


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_list_and_record_read_for_everyone_signed_in(spec, demo, db, django_assert_max_num_queries):
    leader = client_as("leader")
    with django_assert_max_num_queries(MAX_QUERIES["list"]):
        page = leader.get(f"/ledgers/{spec.slug}/")
    assert page.status_code == 200
    total = spec.model.objects.count()
    assert total > 0, "the demo fills every ledger"
    assert f"共 {total} 条" in page.content.decode()
    obj = spec.model.objects.order_by("pk").first()
    with django_assert_max_num_queries(MAX_QUERIES["detail"]):
        record = leader.get(f"/ledgers/{spec.slug}/{obj.pk}/")
    text = record.content.decode()
    assert record.status_code == 200 and "修改记录" in text
    assert f"/ledgers/{spec.slug}/{obj.pk}/edit/" not in text, "a leader reads, never edits"
    assert leader.get(f"/ledgers/{spec.slug}/{obj.pk}/edit/").status_code == 403
    assert leader.get(f"/ledgers/{spec.slug}/new/").status_code == 403
    assert Client().get(f"/ledgers/{spec.slug}/").status_code == 302, "signed out: to the login"


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_edit_writes_through_the_ledger_write_path(spec, demo, db, django_assert_max_num_queries):
    writer = "admin"
    obj = first_record(spec, writable_by=writer)
    client = client_as(writer)
    with django_assert_max_num_queries(MAX_QUERIES["edit"]):
        assert client.get(f"/ledgers/{spec.slug}/{obj.pk}/edit/").status_code == 200
    name, text, expected = a_change(spec, obj)
    owner_version = ledger_views._owner(obj).version
    data = {**posted(spec, obj), name: text, "reason": "核对更正"}
    response = client.post(f"/ledgers/{spec.slug}/{obj.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    obj.refresh_from_db()
    assert getattr(obj, name) == expected
    assert ledger_views._owner(obj).version == owner_version + 1, "a form loaded before this save now conflicts"
    record = ChangeRecord.objects.filter(object_type=spec.model._meta.label_lower, object_id=str(obj.pk)).latest("id")
    assert record.username == writer and record.reason == "核对更正" and record.source == "web"
    assert record.after[name] != (record.before or {}).get(name)
    page = client.get(f"/ledgers/{spec.slug}/{obj.pk}/").content.decode()
    assert "核对更正" in page, "the record's page shows its change history"
    # … with the new value as the page prints the field (a choice by its label, an amount rounded)
    assert f"{ledger_views.label(spec.model, name)}：" in page
    assert f"→ {escape(ledger_views.display(obj, name))}" in page


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_stale_form_conflicts_and_changes_nothing(spec, demo, db):
    obj = first_record(spec, writable_by="admin")
    name, text, _ = a_change(spec, obj)
    data = {**posted(spec, obj), name: text}
    data["version"] = str(int(data["version"]) - 1) if int(data["version"]) > 1 else "999"
    before = getattr(obj, name)
    response = client_as("admin").post(f"/ledgers/{spec.slug}/{obj.pk}/edit/", data)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, name) == before


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_another_units_record_is_refused(spec, demo, db):
    clerk = "kangxian"  # 康县's statistics clerk: writes 康县's records only
    obj = first_record(spec, not_writable_by=clerk)
    name, text, _ = a_change(spec, obj)
    before, count = getattr(obj, name), ChangeRecord.objects.count()
    client = client_as(clerk)
    assert client.get(f"/ledgers/{spec.slug}/{obj.pk}/edit/").status_code == 403
    response = client.post(f"/ledgers/{spec.slug}/{obj.pk}/edit/", {**posted(spec, obj), name: text})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, name) == before and ChangeRecord.objects.count() == count


def move_out_of_the_way(spec, obj) -> None:
    """Change, for each key or uniqueness rule of the ledger, one field it reads (text before a
    year, a year before other numbers), so that a new record may take this record's valid values."""
    meta = spec.model._meta
    rules = [spec.key_fields, *((f.name,) for f in meta.concrete_fields if f.unique and not f.primary_key)]
    rules += [c.fields for c in meta.constraints if isinstance(c, models.UniqueConstraint)]

    def rank(name):
        field = meta.get_field(name)
        return 0 if isinstance(field, models.CharField) and not field.choices else 1 if name == "year" else 2

    changes = {}
    for rule in rules:
        name = min((n for n in rule if not meta.get_field(n).is_relation), key=rank)
        field, value = meta.get_field(name), getattr(obj, name)
        changes[name] = f"{value[: field.max_length - 1]}#" if isinstance(field, models.CharField) else value + 1000
    spec.model.objects.filter(pk=obj.pk).update(**changes)  # below the write path: only the test's setup


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_a_new_record(spec, demo, db):
    """A record typed in the form (here: an existing record's values, that record moved out of the
    way) is created through the write path, recorded and shown; the same key twice is refused."""
    template = first_record(spec, writable_by="admin")
    data = {**posted(spec, template), "reason": "补录"}
    data.pop("version", None)
    move_out_of_the_way(spec, template)
    count = spec.model.objects.count()
    client = client_as("admin")
    assert client.get(f"/ledgers/{spec.slug}/new/").status_code == 200
    response = client.post(f"/ledgers/{spec.slug}/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert spec.model.objects.count() == count + 1
    created = spec.model.objects.latest("pk")
    assert ChangeRecord.objects.filter(object_type=spec.model._meta.label_lower, object_id=str(created.pk),
                                       action="create", reason="补录").exists()
    assert client.get(response["Location"]).status_code == 200
    again = client.post(f"/ledgers/{spec.slug}/new/", data)
    assert again.status_code == 400, "the same key twice is refused with the form's message"
    assert spec.model.objects.count() == count + 1


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_export_is_the_import_shape(spec, demo, db):
    response = client_as("leader").get(f"/ledgers/{spec.slug}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    labels = {c.label for c in spec.importer.columns}
    assert set(header) & labels, "the header is the importer's"
    assert sheet.max_row - 1 == spec.model.objects.count()


def test_the_index_lists_every_ledger(demo, db):
    text = client_as("leader").get("/ledgers/").content.decode()
    for spec in SPECS:
        assert f'href="/ledgers/{spec.slug}/"' in text
    assert "演示数据" in text


def test_hostile_requests_get_a_clear_answer_and_change_nothing(demo, db):
    clerk = client_as("kangxian")
    count, records = LEDGERS["land-parcels"].model.objects.count(), ChangeRecord.objects.count()
    assert clerk.get("/ledgers/no-such-ledger/").status_code == 404
    assert clerk.get("/ledgers/land-parcels/999999/").status_code == 404
    page = clerk.get("/ledgers/special-bonds/", {"year": "二〇二一", "page": "x", "q": "'; DROP TABLE x; --" * 20})
    assert page.status_code == 200 and "没有符合条件的记录" in page.content.decode()
    wudu = get_user_model().objects.get(username="wudu").profile.region_id
    base = {"code": "ZD-X-1", "location": "某地", "fee_due": "100", "fee_paid": "0", "reason": "测试"}
    other = clerk.post("/ledgers/land-parcels/new/", {**base, "region": wudu})
    assert other.status_code == 403 and "只能修改本单位" in other.content.decode(), "康县 cannot create 武都's record"
    words = clerk.post("/ledgers/land-parcels/new/", {**base, "region": "621224", "fee_due": "一百万"})
    assert words.status_code == 400 and "输入一个数字" in words.content.decode()
    assert LEDGERS["land-parcels"].model.objects.count() == count and ChangeRecord.objects.count() == records
    ok = clerk.post("/ledgers/land-parcels/new/", {**base, "region": "621224"})
    assert ok.status_code == 302, "the same record in the clerk's own county is taken"


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_hostile_list_parameters_never_give_a_500(spec, demo, db):
    client = Client(raise_request_exception=False)
    client.force_login(user("leader"))
    for name in ("region", "q", "page", *spec.filters):
        for value in ("abc", "99999999999999999999", "-1", "\x00'", "２０２１", "1" * 5000):
            response = client.get(f"/ledgers/{spec.slug}/", {name: value})
            assert response.status_code == 200, (name, value, response.status_code)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.owned], ids=[s.slug for s in SPECS if s.owned])
def test_every_owned_ledger_has_its_admin(spec, demo, db):
    """The admin (配置) of a ledger comes from its spec unless its app gives one with more; it
    writes through the ledger's write path (LedgerAdmin) like the pages."""
    from django.contrib import admin

    from diaodu.core.admin import LedgerAdmin

    assert isinstance(admin.site._registry.get(spec.model), LedgerAdmin)
    meta, obj = spec.model._meta, spec.model.objects.order_by("pk").first()
    client = client_as("admin")
    assert client.get(f"/admin/{meta.app_label}/{meta.model_name}/").status_code == 200
    assert client.get(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/").status_code == 200
    assert client_as("kangxian").get(f"/admin/{meta.app_label}/{meta.model_name}/").status_code == 302


def test_history_prints_each_value_as_the_record_page_does(demo, db):
    """The 修改记录 of a record created and never changed shows each field as the record's page does:
    a choice by its label (not its code), an amount rounded as its unit prints, a flag as 是/否, a
    related record (所属县区 …) by its name."""
    kinds = set()
    for spec in SPECS:
        for obj in spec.model.objects.order_by("pk")[:20]:
            rows = ledger_views.history(obj)
            if len(rows) != 1 or rows[0]["record"].action != "create":
                continue
            created = {name: after for name, _, after in rows[0]["changes"]}
            for field in spec.model._meta.concrete_fields:
                label = str(field.verbose_name)
                if label not in created or created[label] is None:
                    continue
                if field.is_relation:
                    assert created[label] == str(getattr(obj, field.name)), (spec.slug, obj.pk, label)
                    kinds.add("relation")
                else:
                    assert created[label] == ledger_views.display(obj, field.name), (spec.slug, obj.pk, label)
                    kinds.add("choice" if field.choices else type(field).__name__)
            break
    assert {"choice", "DecimalField", "BooleanField", "relation"} <= kinds, kinds


def test_history_leaves_out_a_field_empty_before_and_after(demo, db):
    """责任人 created empty ("") where there was nothing (None) is no change a reader sees."""
    spec = LEDGERS["reserve-projects"]
    obj = spec.model.objects.filter(responsible="").order_by("pk").first()
    assert obj is not None
    rows = ledger_views.history(obj)
    assert rows and all(not (b is None and a is None) for row in rows for _, b, a in row["changes"])
    assert not any(name == "责任人" for row in rows for name, _, _ in row["changes"])
