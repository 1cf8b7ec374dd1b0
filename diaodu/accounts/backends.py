"""The authentication backend: Django's, refusing locked accounts whatever the
password (so no path — login page, admin, test client, API — bypasses the lock)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from diaodu.accounts import policy


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username and (policy.locked_until(username, request=request) or policy.address_blocked_until(request)):
            raise PermissionDenied  # Django then sends user_login_failed: recorded as 锁定期间拒绝登录
        return super().authenticate(request, username=username, password=password, **kwargs)
