"""The authentication backend: Django's, refusing locked accounts whatever the
password (so no path — login page, admin, test client, API — bypasses the lock)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from diaodu.accounts import policy
from diaodu.core.rows import one_by


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username and (policy.locked_until(username, request=request) or policy.address_blocked_until(request)):
            raise PermissionDenied  # Django then sends user_login_failed: recorded as 锁定期间拒绝登录
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of a request. Every page view asks: the query is compiled once per
        process (``core.rows``): compiling it was most of the cost of reading the user."""
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session holding a malformed id: no user
            return None
        user = one_by(model, model._meta.pk.attname, user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
