"""Token authentication for systems (``Authorization: Token <key>`` or ``Bearer <key>``).

The browser uses DRF's SessionAuthentication, which enforces CSRF on writes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from diaodu.accounts import policy
from diaodu.api.models import ApiToken, digest

TOUCH_EVERY = dt.timedelta(minutes=5)  # last_used_at is written at most this often


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("令牌格式错误：应为“Authorization: Token 密钥”。")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌格式错误。")
        token = ApiToken.objects.select_related("user").filter(key_digest=digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌无效或已停用。")
        now = timezone.now()
        if token.created_at + dt.timedelta(days=settings.DIAODU_API_TOKEN_DAYS) <= now:
            raise exceptions.AuthenticationFailed(
                f"令牌已过期（有效期 {settings.DIAODU_API_TOKEN_DAYS} 天）：请用 diaodu api-token 另发新令牌。")
        if policy.locked_until(token.user.get_username()):
            raise exceptions.AuthenticationFailed("令牌所属账户已被锁定，锁定期间令牌不可用。")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
