"""Login records from Django's auth signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from diaodu.audit.models import LoginRecord


def _client(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:200]


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    ip, agent = _client(request)
    LoginRecord.objects.create(time=timezone.now(), username=user.get_username(), event="login", ip=ip, user_agent=agent)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    ip, agent = _client(request)
    name = user.get_username() if user is not None else ""
    LoginRecord.objects.create(time=timezone.now(), username=name, event="logout", ip=ip, user_agent=agent)


@receiver(user_login_failed)
def on_failed(sender, credentials, request=None, **kwargs):
    ip, agent = _client(request)
    LoginRecord.objects.create(
        time=timezone.now(), username=str(credentials.get("username", ""))[:150], event="failed", ip=ip, user_agent=agent
    )
