"""The TOTP second factor: RFC 6238 arithmetic, required for 管理员 (enrolment
at the first login, then a code at every login), optional for others, single-use
codes, failures counted toward the lock; a demo database's admin signs in with
the password alone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.test import Client

from diaodu.accounts import totp
from diaodu.accounts.models import TOTPDevice
from diaodu.audit.models import LoginRecord
from diaodu.demo.models import DemoDataset
from tests.helpers import web_login

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890", RFC 6238 appendix B (SHA-1)


@pytest.mark.parametrize("moment, code", [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
    (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_rfc6238_vectors(moment, code):
    assert totp.totp(RFC_SECRET, moment, digits=8) == code


def test_rfc4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(RFC_SECRET, i) for i in range(10)] == expected


def test_match_allows_one_step_of_drift_and_no_reuse():
    secret = totp.random_secret()
    now = 1_700_000_000
    code = totp.totp(secret, now - 30)
    step = totp.match(secret, code, moment=now)
    assert step == totp.step_at(now) - 1
    assert totp.match(secret, code, moment=now, after_step=step) is None
    assert totp.match(secret, totp.totp(secret, now - 90), moment=now) is None
    assert totp.match(secret, "12ab56", moment=now) is None


def test_otpauth_uri():
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXP", "admin")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parse_qs(parsed.query)["secret"] == ["JBSWY3DPEHPK3PXP"]


def _secret_from(page: str) -> str:
    return re.search(r"secret=([A-Z2-7]+)", page).group(1)


def test_admin_must_enrol_then_use_the_code(personas, client):
    response = web_login(client, "admin")
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/"
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get("/admin/").status_code == 302
    page = client.get("/accounts/otp/").content.decode()
    assert "otpauth://totp/" in page and "http" not in page.split("otpauth://")[1][:200]
    secret = _secret_from(page)
    wrong = client.post("/accounts/otp/", {"code": "000000"})
    assert "动态口令不正确" in wrong.content.decode()
    used = totp.totp(secret)
    done = client.post("/accounts/otp/", {"code": used})
    assert done.status_code == 302 and "_auth_user_id" in client.session
    assert TOTPDevice.objects.get(user=personas["admin"]).confirmed
    client.post("/accounts/logout/")

    # Next login: password, then a fresh code (the one just used is refused: single use).
    other = Client()
    assert web_login(other, "admin")["Location"] == "/accounts/login/code/"
    # The very code used above, not totp(secret) again: a 30-second step may have begun since.
    reused = other.post("/accounts/login/code/", {"code": used})
    assert reused.status_code == 200 and "_auth_user_id" not in other.session
    device = TOTPDevice.objects.get(user=personas["admin"])
    fresh = totp.hotp(secret, device.last_step + 1)
    with pytest.MonkeyPatch.context() as patch:  # the next 30-second step
        patch.setattr(totp, "step_at", lambda moment=None: device.last_step + 1)
        ok = other.post("/accounts/login/code/", {"code": fresh})
    assert ok.status_code == 302 and "_auth_user_id" in other.session
    events = list(LoginRecord.objects.filter(username="admin").values_list("event", flat=True).order_by("id"))
    assert events == ["otp_failed", "otp_enrol", "login", "logout", "otp_failed", "login"]


def test_each_showing_of_the_enrolment_page_has_a_new_secret(personas, client):
    web_login(client, "admin")
    first = _secret_from(client.get("/accounts/otp/").content.decode())
    second = _secret_from(client.get("/accounts/otp/").content.decode())
    assert first != second
    assert client.post("/accounts/otp/", {"code": totp.totp(first)}).status_code == 200  # the old one is dead
    assert client.post("/accounts/otp/", {"code": totp.totp(second)}).status_code == 302


def test_enrolled_secret_is_not_shown_again(personas, client):
    TOTPDevice.objects.create(user=personas["wudu"], secret=totp.random_secret(), confirmed=True)
    client.force_login(personas["wudu"])
    page = client.get("/accounts/otp/").content.decode()
    assert "已启用动态口令" in page and "otpauth://" not in page


def test_code_failures_count_toward_the_lock(personas, client):
    secret = totp.random_secret()
    TOTPDevice.objects.create(user=personas["admin"], secret=secret, confirmed=True)
    for _ in range(4):
        web_login(client, "admin")
        client.post("/accounts/login/code/", {"code": "000000"})
    web_login(client, "admin")
    response = client.post("/accounts/login/code/", {"code": "000000"}, follow=True)
    assert "已被锁定" in response.content.decode()
    assert LoginRecord.objects.filter(username="admin", event="locked").exists()
    assert "已被锁定" in web_login(Client(), "admin").content.decode()


def test_business_users_need_no_code_unless_enrolled(personas, client):
    assert web_login(client, "wudu")["Location"] == settings.LOGIN_REDIRECT_URL
    TOTPDevice.objects.create(user=personas["kangxian"], secret=totp.random_secret(), confirmed=True)
    assert web_login(Client(), "kangxian")["Location"] == "/accounts/login/code/"


def test_admin_site_login_goes_through_the_same_steps(personas, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_pending_login_expires(personas, client, monkeypatch):
    web_login(client, "admin")
    import time as real_time

    later = real_time.time() + 301
    monkeypatch.setattr("diaodu.accounts.views.time.time", lambda: later)
    response = client.get("/accounts/otp/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_demo_admin_signs_in_with_password_alone(personas, client, settings):
    DemoDataset.objects.create(version="test")
    assert web_login(client, "admin")["Location"] == settings.LOGIN_REDIRECT_URL
    settings.DIAODU_REQUIRE_ADMIN_TOTP = True  # DIAODU_REQUIRE_ADMIN_TOTP=1: even in a demo database
    assert web_login(Client(), "admin")["Location"] == "/accounts/otp/"


def test_admin_totp_can_be_switched_off(personas, client, settings):
    settings.DIAODU_REQUIRE_ADMIN_TOTP = False
    assert web_login(client, "admin")["Location"] == settings.LOGIN_REDIRECT_URL
