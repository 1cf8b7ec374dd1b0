"""Notifications beyond the inbox, against a real local SMTP server (aiosmtpd) and a local HTTP
server that records the posts (a 钉钉 group robot): assigning a task sends one e-mail and one
signed markdown post; with the robot down the assignment still succeeds and the post is retried."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from diaodu.audit.models import ChangeRecord
from diaodu.org.models import Profile
from diaodu.supervision import notify
from diaodu.supervision.models import Notification, NotificationChannel, SupervisionSettings

pytestmark = pytest.mark.django_db
SECRET = "SECtest0123456789"


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    box = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's ready check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield box
    controller.stop()


class Robot:
    """A local 钉钉 robot: records each post (path with query, JSON body); can be switched off."""

    def __init__(self):
        self.posts = []
        self.up = True
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not robot.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                robot.posts.append((self.path, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=t0k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def channels(smtp, robot, personas):
    wudu = personas["wudu"]
    wudu.email = "wudu@example.gov.cn"
    wudu.save()
    assert Profile.objects.get(user=wudu).region_id == "621202"
    config = SupervisionSettings.get()
    config.clock_date = dt.date(2021, 11, 20)  # the tasks' deadline (2021-12-31) is six weeks away
    config.save()
    NotificationChannel.objects.create(name="督查邮件", kind="email")
    NotificationChannel.objects.create(name="督查群", kind="dingtalk", url=robot.url, secret=SECRET)


def assert_signed(path):
    query = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert sign == expected and query["access_token"] == ["t0k"]


def test_assignment_sends_one_email_and_one_signed_post(channels, smtp, robot, make_task):
    task = make_task(leads=["武都区"])
    assert Notification.objects.filter(task=task, event="assigned").count() == 2  # queued with the write
    out = io.StringIO()
    call_command("notify", stdout=out)
    assert "发送成功 2 条" in out.getvalue()
    (rcpt, content), = smtp.messages
    assert rcpt == ["wudu@example.gov.cn"] and "Subject:" in content
    (path, body), = robot.posts
    assert_signed(path)
    assert body["msgtype"] == "markdown" and body["markdown"]["title"].startswith("督办事项交办")
    assert "牵头单位：武都区" in body["markdown"]["text"]
    call_command("notify", stdout=io.StringIO())
    assert len(smtp.messages) == 1 and len(robot.posts) == 1  # sent once


def test_robot_down_the_assignment_succeeds_and_the_post_is_retried(channels, smtp, robot, make_task):
    robot.up = False
    task = make_task(leads=["武都区"])
    assert task.pk and task.state == "assigned"
    result = notify.send_pending()
    assert result.sent == 1 and result.failed == 1  # the e-mail went, the post did not
    post = Notification.objects.get(channel__kind="dingtalk")
    assert post.status == "pending" and post.attempts == 1 and "503" in post.last_error
    assert NotificationChannel.objects.get(kind="dingtalk").last_error == post.last_error
    assert ChangeRecord.objects.filter(object_type__endswith="notification", reason__contains="通知发送失败").exists()
    # Not before its retry time; then, with the robot back, it goes.
    assert notify.send_pending().sent == 0
    robot.up = True
    later = timezone.now() + dt.timedelta(minutes=10)
    assert notify.send_pending(later).sent == 1
    post.refresh_from_db()
    assert post.status == "sent" and post.attempts == 2 and len(robot.posts) == 1


def test_due_soon_overdue_and_returned(channels, robot, make_task, office, personas):
    from diaodu.supervision import actions

    soon = make_task(leads=["武都区"], deadline=dt.date(2021, 11, 23))
    late = make_task(leads=["武都区"], deadline=dt.date(2021, 11, 10))
    make_task(leads=["武都区"], deadline=dt.date(2021, 12, 31))
    Notification.objects.all().delete()
    assert notify.enqueue_reminders(dt.date(2021, 11, 20)) == 4  # two tasks × two channels
    assert notify.enqueue_reminders(dt.date(2021, 11, 20)) == 0  # once per deadline
    assert set(Notification.objects.values_list("task_id", "event").distinct()) == {
        (soon.pk, "due_soon"), (late.pk, "overdue")}
    # WeCom robots get the markdown in their own shape.
    assert notify.robot_payload("wecom", "t", "**x**") == {"msgtype": "markdown", "markdown": {"content": "**x**"}}
    # A return (退回重办) is a message too.
    lead = personas["wudu"]
    actions.transition(lead, soon, "sign")
    actions.transition(lead, soon, "report", reason="已办理")
    actions.transition(office, soon, "return", reason="材料不全")
    assert Notification.objects.filter(task=soon, event="returned").count() == 2


def test_failures_show_in_configuration(channels, robot, make_task, personas):
    from django.test import Client

    robot.up = False
    make_task(leads=["武都区"])
    notify.send_pending()
    admin = Client()
    admin.force_login(personas["admin"])
    page = admin.get("/admin/supervision/notificationchannel/").content.decode()
    assert "督查群" in page and "Webhook 返回 HTTP 503" in page
    page = admin.get("/admin/supervision/notification/?status=pending").content.decode()
    assert "督办事项交办" in page and "HTTP 503" in page
