"""Findings 1 (permission after parsing), 6 (confirming A wrote B) and 10
(previews never cleaned) of the attack pass, through the web import."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from diaodu.indicators.models import Observation
from diaodu.org.models import Role
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

HEADER = "区划代码,单位名称,指标代码,期别,累计值,累计增速(%),备注\n"


def figures(value: float) -> bytes:
    return (HEADER + f"621202,武都区,fai,2021-09,{value},8.5,\n").encode("utf-8-sig")


def preview(client, name: str, data: bytes):
    response = client.post("/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.context["token"], response.context["sha256"]


@pytest.mark.parametrize("roles", [[Role.LEADER], [Role.AUDITOR]])
def test_readers_are_refused_before_the_file_is_read(client, settings, tmp_path, roles, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    user = make_user("reader", "621200", roles)
    client.force_login(user)
    read = []
    monkeypatch.setattr("diaodu.ingest.views.import_file", lambda *a, **k: read.append(a))
    response = client.post("/import/", {"file": SimpleUploadedFile("a.csv", figures(1))})
    assert response.status_code == 403
    assert "无权导入" in response.content.decode()
    assert read == [] and not (tmp_path / "uploads").exists()
    assert client.get("/import/").status_code == 403
    assert client.post("/import/confirm/", {"preview": "x"}).status_code == 403


def test_confirming_a_writes_a_with_two_previews_open(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(personas["wudu"])
    token_a, hash_a = preview(client, "a.csv", figures(111))
    token_b, hash_b = preview(client, "b.csv", figures(222))
    assert token_a != token_b
    response = client.post("/import/confirm/", {"preview": token_a, "sha256": hash_a}, follow=True)
    assert "“a.csv”导入完成" in response.content.decode()
    assert Observation.objects.get(region_id="621202", year=2021, month=9).value == 111
    # B is still open and confirms on its own.
    client.post("/import/confirm/", {"preview": token_b, "sha256": hash_b})
    assert Observation.objects.get(region_id="621202", year=2021, month=9).value == 222
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_confirmation_without_the_previewed_hash_writes_nothing(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(personas["wudu"])
    token, digest = preview(client, "a.csv", figures(111))
    (tmp_path / "uploads" / f"{token}.csv").write_bytes(figures(999))  # swapped on disk after the preview
    response = client.post("/import/confirm/", {"preview": token, "sha256": digest}, follow=True)
    assert "与预览时的文件不一致" in response.content.decode()
    assert not Observation.objects.exists()
    response = client.post("/import/confirm/", {}, follow=True)
    assert "没有待确认的导入" in response.content.decode()


def test_previews_expire_and_cleanup_removes_orphans(client, personas, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DIAODU_PREVIEW_MINUTES = 1
    client.force_login(personas["wudu"])
    token, digest = preview(client, "a.csv", figures(111))
    session = client.session
    session["import_previews"][token]["created"] -= 120
    session.save()
    response = client.post("/import/confirm/", {"preview": token, "sha256": digest}, follow=True)
    assert "预览已过期" in response.content.decode()
    assert not (tmp_path / "uploads" / f"{token}.csv").exists()
    assert not Observation.objects.exists()
    orphan = tmp_path / "uploads" / "deadbeef.xlsx"
    orphan.write_bytes(b"x")
    fresh = tmp_path / "uploads" / "fresh.csv"
    fresh.write_bytes(b"x")
    os.utime(orphan, (time.time() - 3600, time.time() - 3600))
    call_command("cleanup")
    assert not orphan.exists() and fresh.exists()
    assert "已删除 1 个" in capsys.readouterr().out
