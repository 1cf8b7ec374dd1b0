"""Password rules: complexity (≥ 10, 3 of 4 classes), expiry forcing a change,
createsuperuser under the same rules, and no default account outside the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from diaodu.accounts.models import PasswordState
from diaodu.audit.models import LoginRecord
from tests.helpers import PASSWORD, web_login


@pytest.mark.parametrize("password", ["Short#1a", "alllowercase123", "ALLUPPER!!!!", "abcdefghijk", "1234567890"])
def test_weak_passwords_are_refused_in_chinese(db, password):
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert any("密码" in m or "至少" in m for m in info.value.messages), info.value.messages


@pytest.mark.parametrize("password", ["Diaodu#2021", "Longnan2021x", "调度平台-abc-2021", "Ab1!Ab1!Ab1!"])
def test_complex_passwords_pass(db, password):
    validate_password(password)


def test_complexity_message_names_the_rule(db):
    with pytest.raises(ValidationError) as info:
        validate_password("abcdefghij12")
    text = " ".join(info.value.messages)
    assert "至少 3 类" in text and "小写字母、数字" in text


def test_setting_a_password_records_when(personas):
    user = personas["wudu"]
    state = PasswordState.objects.get(user=user)
    assert timezone.now() - state.changed_at < dt.timedelta(minutes=1)


def test_expired_password_forces_a_change(personas, client):
    user = personas["wudu"]
    PasswordState.objects.filter(user=user).update(changed_at=timezone.now() - dt.timedelta(days=91))
    response = web_login(client, "wudu")
    assert response.status_code == 302
    page = client.get("/data/")
    assert page.status_code == 302 and page["Location"] == "/accounts/password_change/"
    form = client.get("/accounts/password_change/").content.decode()
    assert "已使用超过 90 天" in form
    weak = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "abcdefghij",
                                                       "new_password2": "abcdefghij"})
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    done = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "Neu#Passwort2022",
                                                       "new_password2": "Neu#Passwort2022"}, follow=True)
    assert done.status_code == 200
    assert client.get("/data/").status_code == 200  # free again, still signed in
    assert LoginRecord.objects.filter(username="wudu", event="password").exists()
    assert timezone.now() - PasswordState.objects.get(user=user).changed_at < dt.timedelta(minutes=1)


@override_settings(DIAODU_PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_switched_off(personas, client):
    PasswordState.objects.filter(user=personas["wudu"]).update(changed_at=timezone.now() - dt.timedelta(days=900))
    web_login(client, "wudu")
    assert client.get("/data/").status_code == 200


def test_no_account_exists_after_migrate(db):
    """Migrations create no user: the only default password is the demo's, in demo databases."""
    assert get_user_model().objects.count() == 0


def test_createsuperuser_noinput_checks_the_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "password123")
    with pytest.raises(CommandError, match="不符合密码规则"):
        call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "boss@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Strong#Pass2021")
    call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "boss@example.org")
    boss = get_user_model().objects.get(username="boss")
    assert boss.is_superuser and PasswordState.objects.filter(user=boss).exists()
