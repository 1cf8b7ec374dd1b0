"""Login and logout records from Django's auth signals (failed logins and the
lock are recorded by ``diaodu.accounts.signals``); audit triggers after migrate."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from diaodu.audit.models import LoginRecord
from diaodu.audit.records import record_login


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_login(LoginRecord.Event.LOGIN, user.get_username(), request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    record_login(LoginRecord.Event.LOGOUT, user.get_username() if user is not None else "", request)


@receiver(post_migrate)
def ensure_triggers(sender, app_config=None, using="default", **kwargs):
    """A SQLite table rebuild in a later migration drops the table's triggers:
    put them back after every migrate (idempotent)."""
    if app_config is None or app_config.label != "audit":
        return
    from django.db import connections

    from diaodu.audit import triggers

    triggers.install(connections[using])
