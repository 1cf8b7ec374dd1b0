"""Findings 3 and 7: an administrator reset a clerk's password without a trace,
and 管理员 could grant themselves 审计员."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from diaodu.audit.models import ChangeRecord
from diaodu.org.models import Profile, Role
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Neu#Passwort2026"


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas["admin"])
    return client


def test_an_admins_password_reset_is_a_change_record_without_the_password(admin_client, personas):
    wudu = personas["wudu"]
    response = admin_client.post(f"/admin/auth/user/{wudu.pk}/password/",
                                 {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    wudu.refresh_from_db()
    assert wudu.check_password(NEW_PASSWORD)
    record = ChangeRecord.objects.get(object_type="auth.user", object_id=str(wudu.pk))
    assert record.username == "admin" and record.source == "admin"
    text = json.dumps([record.before, record.after, record.reason], ensure_ascii=False)
    assert NEW_PASSWORD not in text and wudu.password not in text and "pbkdf2" not in text


def test_activation_and_unit_changes_are_recorded(admin_client, personas):
    wudu = personas["wudu"]
    data = {"username": "wudu", "is_active": "", "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    response = admin_client.post(f"/admin/auth/user/{wudu.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ChangeRecord.objects.filter(object_type="auth.user", object_id=str(wudu.pk)).last()
    assert record.before["is_active"] is True and record.after["is_active"] is False
    profile = wudu.profile
    response = admin_client.post(f"/admin/org/profile/{profile.pk}/change/",
                                 {"user": wudu.pk, "region": "621224", "department": "", "roles": ["enter"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ChangeRecord.objects.filter(object_type="org.profile").last()
    assert record.before["region"] == "621202" and record.after["region"] == "621224"


def test_an_admin_cannot_grant_themselves_auditor(admin_client, personas):
    profile = personas["admin"].profile
    before = ChangeRecord.objects.count()
    for roles in (["admin", "auditor"], ["auditor"]):
        response = admin_client.post(f"/admin/org/profile/{profile.pk}/change/",
                                     {"user": personas["admin"].pk, "region": "", "department": profile.department_id,
                                      "roles": roles})
        assert response.status_code == 200
        assert "审计员" in response.content.decode()
    profile.refresh_from_db()
    assert profile.roles == [Role.ADMIN]
    assert ChangeRecord.objects.count() == before


def test_nobody_holds_admin_and_auditor(admin_client, personas):
    other = make_user("admin2", "zfb", [Role.ADMIN], staff=True)
    response = admin_client.post(f"/admin/org/profile/{other.profile.pk}/change/",
                                 {"user": other.pk, "region": "", "department": other.profile.department_id,
                                  "roles": ["admin", "auditor"]})
    assert response.status_code == 200 and "职责分离" in response.content.decode()
    # Another administrator may make a clerk an auditor.
    response = admin_client.post(f"/admin/org/profile/{personas['fgw'].profile.pk}/change/",
                                 {"user": personas["fgw"].pk, "region": "", "department": personas["fgw"].profile.department_id,
                                  "roles": ["auditor"]})
    assert response.status_code == 302
    # The rule holds outside the admin too (model validation).
    profile = Profile.objects.get(user=other)
    profile.roles = [Role.ADMIN, Role.AUDITOR]
    with pytest.raises(Exception, match="职责分离"):
        profile.full_clean()
    superuser = get_user_model().objects.create_superuser("root", password="Root#pass2026x")
    Profile.objects.create(user=superuser, department=other.profile.department, roles=[])
    p = Profile.objects.get(user=superuser)
    p.roles = [Role.AUDITOR]
    with pytest.raises(Exception, match="职责分离"):
        p.full_clean()
