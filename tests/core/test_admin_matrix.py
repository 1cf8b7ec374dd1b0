"""The permission matrix, extended (issue 19): every role × the admin's user and
password pages, the audit rules (separation of duties, append-only records) and
the import confirmation. A refused request changes nothing: no password, no role,
no change record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from diaodu.audit.models import ChangeRecord
from diaodu.indicators.models import Observation
from diaodu.org.models import Profile, Role
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
NEW = "Matrix#Passwort26"
ROLES = ["wudu", "tongji", "leader", "shenji", "admin"]


@pytest.fixture
def people(personas):
    people = dict(personas)
    people["shenji"] = make_user("shenji", "zfb", [Role.AUDITOR], staff=True)
    return people


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def admin_pages(target, profile):
    return [
        ("get", "/admin/auth/user/", None),
        ("get", f"/admin/auth/user/{target.pk}/change/", None),
        ("get", f"/admin/auth/user/{target.pk}/password/", None),
        ("post", f"/admin/auth/user/{target.pk}/password/",
         {"password1": NEW, "password2": NEW, "usable_password": "true"}),
        ("post", f"/admin/org/profile/{profile.pk}/change/",
         {"user": target.pk, "region": "621202", "department": "", "roles": ["enter", "approve"]}),
        ("post", f"/admin/auth/user/{target.pk}/change/",
         {"username": target.username, "is_active": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_admin_user_and_password_pages(people, role):
    target = people["kangxian"]
    profile = target.profile
    client = client_for(people[role])
    records = ChangeRecord.objects.count()
    for method, url, data in admin_pages(target, Profile.objects.get(user=target)):
        response = getattr(client, method)(url, data or {})
        if role == "admin":
            assert response.status_code in (200, 302), (url, response.status_code)
        elif role == "shenji" and method == "get" and not url.endswith("/password/"):
            assert response.status_code == 200  # 审计员 read the configuration, change nothing
        else:
            assert response.status_code in (302, 403), (role, url, response.status_code)
            if response.status_code == 302:  # staff without the role: sent to the login, which refuses them
                assert client.get(response["Location"]).status_code == 403
    target.refresh_from_db()
    profile.refresh_from_db()
    if role == "admin":
        assert target.check_password(NEW) and not target.is_active and "approve" in profile.roles
        assert ChangeRecord.objects.count() == records + 3  # the password, the roles, the activation
    else:
        assert not target.check_password(NEW) and target.is_active and profile.roles == [Role.ENTER]
        assert ChangeRecord.objects.count() == records


@pytest.mark.parametrize("role", ROLES)
def test_audit_rules(people, role):
    client = client_for(people[role])
    me = people[role]
    # Nobody grants themselves 审计员, nor holds it with 管理员.
    own = Profile.objects.get(user=me)
    client.post(f"/admin/org/profile/{own.pk}/change/",
                {"user": me.pk, "region": own.region_id or "", "department": own.department_id or "",
                 "roles": ["admin", "auditor"]})
    own.refresh_from_db()
    assert Role.AUDITOR not in own.roles or Role.ADMIN not in own.roles
    if role != "shenji":
        assert Role.AUDITOR not in own.roles
    # Audit records: read by 审计员 alone, changed by nobody.
    from diaodu.audit.records import record_change

    record = record_change(people["admin"], "update", people["wudu"], after={"x": 1}, reason="矩阵")
    assert client.get("/audit/").status_code == (200 if role == "shenji" else 403)
    response = client.post(f"/admin/audit/changerecord/{record.pk}/change/", {"reason": "改写"})
    assert response.status_code in (302, 403)
    response = client.post(f"/admin/audit/changerecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 403)
    assert ChangeRecord.objects.filter(pk=record.pk, reason="矩阵").exists()


@pytest.mark.parametrize("role", ROLES)
def test_import_confirmation(people, role, settings, tmp_path):
    """A preview is confirmed only by the session that made it, with its token and hash;
    领导 and 审计员 never reach it."""
    settings.MEDIA_ROOT = str(tmp_path)
    owner = client_for(people["wudu"])
    data = "区划代码,单位名称,指标代码,期别,累计值,累计增速(%),备注\n621202,武都区,fai,2021-09,5,1,\n".encode()
    preview = owner.post("/import/", {"file": SimpleUploadedFile("a.csv", data)})
    token, digest = preview.context["token"], preview.context["sha256"]
    other = client_for(people[role])
    response = other.post("/import/confirm/", {"preview": token, "sha256": digest})
    if role in ("leader", "shenji"):
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    assert not Observation.objects.exists()
    if role in ("leader", "shenji"):
        upload = other.post("/import/", {"file": SimpleUploadedFile("b.csv", data)})
        assert upload.status_code == 403
    owner.post("/import/confirm/", {"preview": token, "sha256": digest})
    assert Observation.objects.count() == 1
