"""Login rules in one place: lockout after repeated failures, the second factor,
password age. Every state is read from the database (login records, password
states), so it holds across processes and app servers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from diaodu.audit.models import LoginRecord
from diaodu.audit.records import record_login

# The session flag that sends a user whose password has expired to the change page.
EXPIRED_KEY = "diaodu_password_expired"

E = LoginRecord.Event
FAILURES = (E.FAILED, E.OTP_FAILED)
RESETS = (E.LOGIN, E.LOCKED, E.UNLOCKED)


# --- lockout -----------------------------------------------------------------

def lock_minutes() -> int:
    return settings.DIAODU_LOCKOUT_MINUTES


# A lock holds a username at one address (REMOTE_ADDR): five wrong passwords from
# anywhere no longer lock the owner out everywhere. A caller without a request
# (no address known) honours the username's lock from any address.

def address_of(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def locked_until(username: str, now: dt.datetime | None = None, request=None) -> dt.datetime | None:
    """The end of the lock of ``username`` at the request's address, or None when not locked."""
    if not username or settings.DIAODU_LOCKOUT_FAILURES <= 0:
        return None
    now = now or timezone.now()
    address = address_of(request)
    events = LoginRecord.objects.filter(username=username)
    if address is None:
        events = events.filter(event__in=(E.LOCKED, E.UNLOCKED))
    else:
        events = events.filter(Q(event=E.LOCKED, ip=address) | Q(event=E.UNLOCKED))
    last = events.order_by("-id").values_list("event", "time").first()
    if last and last[0] == E.LOCKED:
        until = last[1] + dt.timedelta(minutes=lock_minutes())
        if until > now:
            return until
    return None


def address_blocked_until(request, now: dt.datetime | None = None) -> dt.datetime | None:
    """The end of the block of the request's address: DIAODU_LOCKOUT_ADDRESS_FAILURES failed
    logins (any usernames) within the lock window block the address for the rest of it."""
    limit = settings.DIAODU_LOCKOUT_ADDRESS_FAILURES
    address = address_of(request)
    if address is None or limit <= 0:
        return None
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=lock_minutes())
    times = list(LoginRecord.objects.filter(ip=address, event__in=FAILURES, time__gte=since)
                 .order_by("-time").values_list("time", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + dt.timedelta(minutes=lock_minutes())  # when the oldest of them leaves the window


def after_failure(username: str, request=None) -> dt.datetime | None:
    """Count the failures of ``username`` from the request's address since the last
    login, lock or unlock within the lock window; at the threshold, lock (recorded,
    with the address) and return the lock's end."""
    limit = settings.DIAODU_LOCKOUT_FAILURES
    if not username or limit <= 0:
        return None
    now = timezone.now()
    since = now - dt.timedelta(minutes=lock_minutes())
    address = address_of(request)
    mine = LoginRecord.objects.filter(username=username, time__gte=since)
    resets = mine.filter(Q(event__in=(E.LOGIN, E.UNLOCKED)) | Q(event=E.LOCKED, ip=address))
    reset = resets.order_by("-id").values_list("id", flat=True).first()
    failures = mine.filter(event__in=FAILURES, ip=address)
    if reset is not None:
        failures = failures.filter(id__gt=reset)
    if failures.count() >= limit:
        record_login(E.LOCKED, username, request,
                     detail=f"连续 {limit} 次登录失败，锁定 {lock_minutes()} 分钟（限该地址）")
        return now + dt.timedelta(minutes=lock_minutes())
    return None


def current_locks(now: dt.datetime | None = None) -> list[dict]:
    """Usernames locked now (at some address), for the administrators' unlock page."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=lock_minutes())
    out = {}
    for username, ip, time in (LoginRecord.objects.filter(event=E.LOCKED, time__gte=since)
                               .order_by("id").values_list("username", "ip", "time")):
        out[username] = {"username": username, "ip": ip, "until": time + dt.timedelta(minutes=lock_minutes())}
    return [lock for lock in out.values() if locked_until(lock["username"], now) is not None]


def unlock(username: str, by: str, request=None) -> bool:
    """Lift every lock of ``username`` (all addresses); recorded."""
    if locked_until(username) is None:
        return False
    record_login(E.UNLOCKED, username, request, detail=f"由 {by} 解除锁定")
    return True


def lock_message(username: str, until: dt.datetime) -> str:
    return (f"账户“{username}”因连续 {settings.DIAODU_LOCKOUT_FAILURES} 次登录失败已被锁定，"
            f"请于 {timezone.localtime(until):%H:%M} 后再试，或请管理员解锁。")


def address_message(until: dt.datetime) -> str:
    return (f"本地址登录失败次数过多（{lock_minutes()} 分钟内 {settings.DIAODU_LOCKOUT_ADDRESS_FAILURES} 次），"
            f"请于 {timezone.localtime(until):%H:%M} 后再试。")


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
