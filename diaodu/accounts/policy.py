"""Login rules in one place: lockout after repeated failures, the second factor,
password age. Every state is read from the database (login records, password
states), so it holds across processes and app servers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from diaodu.audit.models import LoginRecord
from diaodu.audit.records import record_login

E = LoginRecord.Event
FAILURES = (E.FAILED, E.OTP_FAILED)
RESETS = (E.LOGIN, E.LOCKED, E.UNLOCKED)


# --- lockout -----------------------------------------------------------------

def lock_minutes() -> int:
    return settings.DIAODU_LOCKOUT_MINUTES


def locked_until(username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The end of the user's current lock, or None when not locked."""
    if not username or settings.DIAODU_LOCKOUT_FAILURES <= 0:
        return None
    now = now or timezone.now()
    last = (LoginRecord.objects.filter(username=username, event__in=(E.LOCKED, E.UNLOCKED))
            .order_by("-id").values_list("event", "time").first())
    if last and last[0] == E.LOCKED:
        until = last[1] + dt.timedelta(minutes=lock_minutes())
        if until > now:
            return until
    return None


def after_failure(username: str, request=None) -> dt.datetime | None:
    """Count the failures since the last login, lock or unlock within the lock
    window; at the threshold, lock (recorded) and return the lock's end."""
    limit = settings.DIAODU_LOCKOUT_FAILURES
    if not username or limit <= 0:
        return None
    now = timezone.now()
    since = now - dt.timedelta(minutes=lock_minutes())
    reset = (LoginRecord.objects.filter(username=username, event__in=RESETS, time__gte=since)
             .order_by("-id").values_list("id", flat=True).first())
    failures = LoginRecord.objects.filter(username=username, event__in=FAILURES, time__gte=since)
    if reset is not None:
        failures = failures.filter(id__gt=reset)
    if failures.count() >= limit:
        record_login(E.LOCKED, username, request,
                     detail=f"连续 {limit} 次登录失败，锁定 {lock_minutes()} 分钟")
        return now + dt.timedelta(minutes=lock_minutes())
    return None


def unlock(username: str, by: str) -> bool:
    if locked_until(username) is None:
        return False
    record_login(E.UNLOCKED, username, detail=f"由 {by} 解除锁定")
    return True


def lock_message(username: str, until: dt.datetime) -> str:
    return (f"账户“{username}”因连续 {settings.DIAODU_LOCKOUT_FAILURES} 次登录失败已被锁定，"
            f"请于 {timezone.localtime(until):%H:%M} 后再试，或请管理员解锁。")


# --- second factor -------------------------------------------------------------

def admin_totp_required() -> bool:
    """DIAODU_REQUIRE_ADMIN_TOTP: 1 always, 0 never; unset: always, except in a
    demo database (演示数据), whose demo admin signs in with the password alone."""
    setting = settings.DIAODU_REQUIRE_ADMIN_TOTP
    if setting is not None:
        return setting
    from diaodu.demo.models import DemoDataset

    return not DemoDataset.objects.exists()


def has_device(user) -> bool:
    from diaodu.accounts.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """Whoever enrolled an authenticator uses it; 管理员 must."""
    from diaodu.org import scopes
    from diaodu.org.models import Role

    return has_device(user) or (scopes.scope_for(user).has(Role.ADMIN) and admin_totp_required())


# --- password age ----------------------------------------------------------------

def password_expired(user, now: dt.datetime | None = None) -> bool:
    days = settings.DIAODU_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.has_usable_password():
        return False
    from diaodu.accounts.models import PasswordState

    changed = (PasswordState.objects.filter(user=user).values_list("changed_at", flat=True).first()
               or user.date_joined)
    return changed + dt.timedelta(days=days) <= (now or timezone.now())
