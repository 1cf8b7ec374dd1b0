"""Issuing and revoking API tokens: the one write path for them (CLI and admin), each recorded.

A token acts as its user, so creating or ending one is a change of who may do what: the change
record keeps who did it, when, for which user, and the token's prefix (never the key).
"""

from __future__ import annotations

from django.db import transaction

from diaodu.api.models import ApiToken
from diaodu.audit.records import record_change


def describe(token: ApiToken) -> dict:
    return {"user": token.user.username, "name": token.name, "prefix": token.prefix}


def issue(actor, user, *, name: str = "", source: str = "cli") -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key (shown once by the caller, never stored)."""
    with transaction.atomic():
        token, key = ApiToken.issue(user, name=name[:60])
        record_change(actor, "create", token, after=describe(token), reason="创建接口令牌", source=source)
    return token, key


def revoke(actor, token: ApiToken, *, reason: str = "", source: str = "cli") -> None:
    """End a token: calls with its key are refused from now on."""
    with transaction.atomic():
        record_change(actor, "delete", token, before=describe(token), reason=reason or "吊销接口令牌", source=source)
        token.delete()
