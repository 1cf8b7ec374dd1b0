"""core.rows.one_by reads what the ORM reads: converted columns (booleans, datetimes, JSON), None
for no row, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from diaodu.core.rows import one_by
from diaodu.org.models import Profile, Region

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_user_reads_as_through_the_orm():
    user = User.objects.create_user("rows_a", password="x", is_staff=True, first_name="张")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    read = one_by(User, "id", user.pk)
    assert _fields(read) == _fields(User.objects.get(pk=user.pk))
    assert read.is_staff is True and read.is_superuser is False and timezone.is_aware(read.last_login)
    assert read._state.adding is False  # a loaded instance: saving it updates, not inserts


def test_json_and_foreign_keys_are_converted():
    region = Region.objects.create(code="990101", name="试验县", short_name="试验", level="county")
    user = User.objects.create_user("rows_b", password="x")
    Profile.objects.create(user=user, region=region, roles=["enter", "approve"])
    read = one_by(Profile, "user_id", user.pk)
    assert read.roles == ["enter", "approve"] and read.region_id == "990101"
    assert _fields(read) == _fields(Profile.objects.get(user=user))


def test_no_row_is_none():
    assert one_by(User, "id", 987654321) is None
