"""Issuing and revoking API tokens: the one write path for them (CLI and admin), each recorded.

A token acts as its user, so creating or ending one is a change of who may do what: the change
record keeps who did it, when, for which user, and the token's prefix (never the key).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction
from django.dispatch import receiver

from diaodu.accounts.middleware import current_request
from diaodu.accounts.signals import credentials_ended
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


@receiver(credentials_ended)
def revoke_with_credentials(sender, user, why: str, **kwargs) -> None:
    """The owner's API tokens end with the password they were issued under, and with the account."""
    request = current_request()
    actor = getattr(request, "user", None) if request is not None else None
    if not getattr(actor, "is_authenticated", False):
        actor = SimpleNamespace(pk=None, username="system")
    for token in ApiToken.objects.filter(user_id=user.pk).select_related("user"):
        revoke(actor, token, reason=f"{why}，接口令牌随之吊销", source="web" if request else "cli")
