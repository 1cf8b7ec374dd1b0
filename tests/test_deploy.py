"""Production settings pass `check --deploy` with no warning; every response
carries the security headers; CSRF is enforced; uploads are limited in size and type."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.helpers import PASSWORD

PACKAGE = Path(__file__).resolve().parents[2] / "diaodu"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3J9-vq2Lx8ZpT4mW7nR1cY6bH0sD5fG8jK2lQ9wE3rT6yU1iO4pA7sZ0xC",
    "ALLOWED_HOSTS": "diaodu.example.gov.cn",
    "DIAODU_SECURE_COOKIES": "1",
    "DATABASE_URL": "sqlite:///var/prod.sqlite3",
}


def _check(tmp_path, extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIAODU_", "DJANGO_"))}
    env.update({"DIAODU_HOME": str(tmp_path), **extra})
    return subprocess.run([sys.executable, "-m", "diaodu", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, cwd=tmp_path)


def test_check_deploy_passes_with_production_env(tmp_path):
    result = _check(tmp_path, PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_warns_on_the_demo_defaults(tmp_path):
    result = _check(tmp_path, {"DEBUG": "1"})
    assert result.returncode == 1 and "security.W018" in result.stderr  # DEBUG, cookies, HSTS …


def test_security_headers(db, client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_templates_have_no_script_the_csp_blocks():
    """The CSP runs only this site's own script files and inline <script> with
    the request's nonce: no nonce-less inline script, no on* handler attribute."""
    offenders = []
    for path in PACKAGE.rglob("templates/**/*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*application/json)(?![^>]*\bnonce=)[^>]*>",
                        r"<[a-z][^>]*\son[a-z]+\s*=\s*[\"']"):
            if re.search(pattern, text, re.I):
                offenders.append(f"{path.relative_to(PACKAGE)}: {pattern}")
    assert not offenders, ("内联脚本会被 CSP 拦截：请写成 <script nonce=\"{{ request.csp_nonce }}\"> 或静态 .js 文件，"
                           "不用 onchange= 等属性：\n" + "\n".join(offenders))


@pytest.mark.parametrize("url, data", [
    ("/accounts/login/", {"username": "wudu", "password": PASSWORD}),
    ("/import/", {}),
    ("/accounts/logout/", {}),
])
def test_csrf_is_enforced(personas, url, data):
    client = Client(enforce_csrf_checks=True)
    if url != "/accounts/login/":
        client.force_login(personas["wudu"])
    assert client.post(url, data).status_code == 403


def test_no_view_is_csrf_exempt():
    hits = [p for p in PACKAGE.rglob("*.py") if "csrf_exempt" in p.read_text()]
    assert hits == []


def test_upload_refuses_other_types(personas, client):
    client.force_login(personas["tongji"])
    for name in ("macro.xlsm", "data.xls", "page.html", "run.exe", "noext"):
        response = client.post("/import/", {"file": SimpleUploadedFile(name, b"x" * 10)}, follow=True)
        assert "类型不支持" in response.content.decode(), name


def test_upload_refuses_large_files(personas, client, settings):
    settings.DIAODU_MAX_UPLOAD = 1024
    client.force_login(personas["tongji"])
    response = client.post("/import/", {"file": SimpleUploadedFile("big.csv", b"a,b\n" * 1000)}, follow=True)
    assert "文件过大" in response.content.decode()


def test_form_bodies_are_limited():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.DIAODU_MAX_UPLOAD <= 100 * 1024 * 1024
