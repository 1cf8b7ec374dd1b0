"""Failed logins (recorded, counted toward the lock), the date each password
was set, and the password-age check at login."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from diaodu.accounts import policy
from diaodu.accounts.policy import EXPIRED_KEY
from diaodu.audit.models import LoginRecord
from diaodu.audit.records import record_login

# Sent with ``user`` and ``why`` when an account's credentials end: its password changed or it was
# deactivated. What was issued under them listens (diaodu.api.tokens revokes the API tokens).
credentials_ended = Signal()


@receiver(user_login_failed)
def on_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    if policy.locked_until(username, request=request) or policy.address_blocked_until(request):
        record_login(LoginRecord.Event.REFUSED, username, request)
        return
    record_login(LoginRecord.Event.FAILED, username, request)
    policy.after_failure(username, request)


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and policy.password_expired(user):
        request.session[EXPIRED_KEY] = True


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def note_password_change(sender, instance, update_fields=None, **kwargs):
    """Every way a password is set (create_user, set_password, admin, createsuperuser)
    ends in a save: compare with the stored hash."""
    if update_fields is not None and "password" not in update_fields:
        return
    if instance.pk is None:
        instance._diaodu_password_set = bool(instance.password)
        return
    stored, active = sender.objects.filter(pk=instance.pk).values_list("password", "is_active").first() or (None, None)
    instance._diaodu_password_set = stored != instance.password
    instance._diaodu_old_password = stored
    instance._diaodu_deactivated = bool(active) and not instance.is_active


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def record_password_date(sender, instance, created=False, **kwargs):
    if getattr(instance, "_diaodu_password_set", False):
        from diaodu.accounts.models import PasswordState

        PasswordState.objects.update_or_create(user_id=instance.pk, defaults={"changed_at": timezone.now()})
        instance._diaodu_password_set = False
        if not created:
            _keep_history(instance)
            record_password_set(instance)
            _revoke_tokens(instance, "密码已更改")
    if getattr(instance, "_diaodu_deactivated", False):
        instance._diaodu_deactivated = False
        _revoke_tokens(instance, "账户已停用")


def _keep_history(user) -> None:
    from diaodu.accounts.models import PasswordHistory

    old = getattr(user, "_diaodu_old_password", None)
    if old and old[0] != "!":  # an unusable password is no password to remember
        PasswordHistory.objects.create(user_id=user.pk, password=old, replaced_at=timezone.now())
        keep = PasswordHistory.objects.filter(user_id=user.pk).values_list("id", flat=True)[
            :settings.DIAODU_PASSWORD_HISTORY]
        PasswordHistory.objects.filter(user_id=user.pk).exclude(id__in=list(keep)).delete()


def _revoke_tokens(user, why: str) -> None:
    credentials_ended.send(sender=type(user), user=user, why=why)


def record_password_set(user) -> None:
    """A change record for every password set on an existing account, by whoever
    set it (an administrator's reset included) — never the password or its hash."""
    from types import SimpleNamespace

    from diaodu.accounts.middleware import current_request
    from diaodu.audit.records import record_change

    request = current_request()
    actor = getattr(request, "user", None) if request is not None else None
    if not getattr(actor, "is_authenticated", False):
        actor = SimpleNamespace(pk=None, username="system")
    own = actor.pk == user.pk
    source = "cli" if request is None else ("admin" if request.path.startswith("/admin/") else "web")
    record_change(actor, "update", user, object_repr=f"{user.get_username()} 的密码",
                  after={"password": "本人修改" if own else "由他人设置（重设）"},
                  reason="修改本人密码" if own else f"{actor.username} 设置 {user.get_username()} 的密码",
                  source=source)
