"""Task messages beyond the inbox: e-mail and 钉钉 / 企业微信 group robots.

A task assigned, due within 3 days, overdue or returned queues one ``Notification`` per
enabled channel, in the same transaction as the write (``enqueue``) — sending happens
later (``send_pending``, run by ``diaodu notify``), so a channel that is down never
blocks or undoes the write. A failed send is retried with a growing delay; each failure
shows on the channel (配置 › 通知渠道) and in the audit log.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from diaodu.audit.records import record_change
from diaodu.supervision.models import OPEN_STATES, Notification, NotificationChannel, State, Task, TaskUnit

DUE_SOON_DAYS = 3
MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_RETRY = dt.timedelta(hours=6)
TIMEOUT_SECONDS = 10


class SendError(Exception):
    """A channel refused or could not take a message (the reason, in Chinese)."""


# --- messages -------------------------------------------------------------------

def _message(task: Task, event: str, units: list[TaskUnit] | None = None) -> tuple[str, str]:
    label = Notification.EVENT_LABELS[event]
    leads = "、".join(task.lead_names()) or "—"
    lines = [
        f"#### 督办事项{label}：{task.title}",
        "",
        f"- 编号：{task.number}",
        f"- 牵头单位：{leads}",
    ]
    if units:  # the message concerns some of the lead units only (a return, a unit overdue)
        lines.append(f"- {'退回单位' if event == 'returned' else '涉及单位'}：{'、'.join(u.name for u in units)}")
    cos = task.co_names()
    if cos and not units:
        lines.append(f"- 配合单位：{'、'.join(cos)}")
    if task.leader:
        lines.append(f"- 责任领导：{task.leader}")
    lines.append(f"- 办理期限：{task.deadline.isoformat() if task.deadline else task.deadline_text or '—'}")
    lines += ["", task.content[:300]]
    return f"督办事项{label}：{task.title}"[:200], "\n".join(lines)


def _email_recipients(task: Task, channel: NotificationChannel, units: list[TaskUnit] | None = None) -> list[str]:
    """The e-mail addresses of the users of the units concerned (default: the task's lead and
    co units), then the channel's own."""
    from django.contrib.auth import get_user_model

    units = list(TaskUnit.objects.filter(task=task)) if units is None else units
    regions = [u.region_id for u in units if u.region_id]
    departments = [u.department_id for u in units if u.department_id]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    addresses = list(
        users.filter(profile__region_id__in=regions).values_list("email", flat=True)
    ) + list(users.filter(profile__department_id__in=departments).values_list("email", flat=True))
    addresses += [a.strip() for a in channel.recipients.splitlines() if a.strip()]
    return sorted(dict.fromkeys(addresses))


def enqueue(task: Task, event: str, *, detail: str = "", unit: TaskUnit | None = None,
            units: list[TaskUnit] | None = None, now: dt.datetime | None = None) -> list[Notification]:
    """Queue the message of ``event`` for every channel that wants it (once per task, event and
    ``detail`` — the deadline for reminders, the return count for returns). ``unit``/``units``:
    the lead units concerned (the one returned, those overdue); e-mail goes to their users only."""
    now = now or timezone.now()
    if unit is not None:
        units = [unit]
    title, text = _message(task, event, units)
    out = []
    for channel in NotificationChannel.objects.filter(enabled=True):
        if not channel.wants(event):
            continue
        recipients = (_email_recipients(task, channel, units) if channel.kind == NotificationChannel.Kind.EMAIL
                      else [])
        if channel.kind == NotificationChannel.Kind.EMAIL and not recipients:
            continue  # nobody to write to
        notification, created = Notification.objects.get_or_create(
            key=f"{channel.pk}:{task.pk}:{event}:{detail}"[:120],
            defaults={"channel": channel, "task": task, "event": event, "title": title, "text": text,
                      "recipients": recipients, "next_attempt_at": now},
        )
        if created:
            out.append(notification)
    return out


def enqueue_reminders(today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Queue 'due within 3 days' and 'overdue' for open tasks (once per deadline), addressed to the
    lead units not yet closed — a county that has closed its part is not reminded."""
    count = 0
    tasks = Task.objects.filter(state__in=OPEN_STATES, deadline__isnull=False).prefetch_related("units")
    for task in tasks:
        units = list(task.units.all())
        leads = [u for u in units if u.role == TaskUnit.Role.LEAD]
        open_leads = [u for u in leads if u.state != State.CLOSED]
        concerned = None if len(open_leads) == len(leads) else open_leads
        if task.deadline < today:
            count += len(enqueue(task, "overdue", detail=task.deadline.isoformat(), units=concerned, now=now))
        elif task.deadline <= today + dt.timedelta(days=DUE_SOON_DAYS):
            count += len(enqueue(task, "due_soon", detail=task.deadline.isoformat(), units=concerned, now=now))
    return count


# --- channels -------------------------------------------------------------------

def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """钉钉 加签: timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(secret, "timestamp\\nsecret")))."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def robot_payload(kind: str, title: str, text: str) -> dict:
    if kind == NotificationChannel.Kind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def _post(channel: NotificationChannel, notification: Notification) -> None:
    if not channel.url:
        raise SendError("未配置 Webhook 地址")
    url = channel.url
    if channel.kind == NotificationChannel.Kind.DINGTALK and channel.secret:
        url = signed_url(url, channel.secret)
    body = json.dumps(robot_payload(channel.kind, notification.title, notification.text), ensure_ascii=False)
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(10000)
    except urllib.error.HTTPError as exc:
        raise SendError(f"Webhook 返回 HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SendError(f"无法连接 Webhook：{getattr(exc, 'reason', exc)}") from exc
    try:
        result = json.loads(answer or b"{}")
    except ValueError:
        return  # a plain 200 is taken as accepted
    if isinstance(result, dict) and result.get("errcode", 0) != 0:
        raise SendError(f"机器人拒收：errcode {result.get('errcode')} {result.get('errmsg', '')}")


def _mail(notification: Notification) -> None:
    message = EmailMessage(notification.title, notification.text, settings.DEFAULT_FROM_EMAIL,
                           notification.recipients)
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # smtplib, socket and SSL errors alike: the message is retried
        raise SendError(f"邮件发送失败：{exc}") from exc


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def _retry_delay(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def send_pending(now: dt.datetime | None = None) -> SendResult:
    """Send every queued message that is due; a failure is recorded and retried later."""
    now = now or timezone.now()
    result = SendResult()
    queue = (Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
             .select_related("channel").order_by("pk"))
    for notification in queue:
        channel = notification.channel
        try:
            if channel.kind == NotificationChannel.Kind.EMAIL:
                _mail(notification)
            else:
                _post(channel, notification)
        except SendError as exc:
            _failed(notification, channel, str(exc), now, result)
            continue
        with transaction.atomic():
            notification.status = Notification.Status.SENT
            notification.attempts += 1
            notification.sent_at = now
            notification.last_error = ""
            notification.save()
            NotificationChannel.objects.filter(pk=channel.pk).update(last_success_at=now)
        result.sent += 1
    return result


def _failed(notification, channel, error: str, now, result: SendResult) -> None:
    with transaction.atomic():
        notification.attempts += 1
        notification.last_error = error[:300]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            result.gave_up += 1
        else:
            notification.next_attempt_at = now + _retry_delay(notification.attempts)
        notification.save()
        NotificationChannel.objects.filter(pk=channel.pk).update(last_failure_at=now, last_error=error[:300])
        record_change(None, "update", notification,
                      after={"status": notification.status, "attempts": notification.attempts, "error": error[:300]},
                      reason=f"通知发送失败（{channel.name}）：{error}"[:500], source="notify")
    result.failed += 1


__all__ = ["enqueue", "enqueue_reminders", "robot_payload", "send_pending", "signed_url"]
