"""`diaodu tasks extract` (--json, --date), and the same in the web: paste, review, confirm."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from diaodu.supervision.models import Meeting, State, Task
from tests.helpers import PASSWORD
from tests.supervision.test_extract import MUST_FIND, SEED

ROOT = Path(__file__).resolve().parents[2]


class _Fields(HTMLParser):
    """The review form's draft fields as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        name = a.get("name") or ""
        if tag == "select":
            self._select = name if name.startswith("d-") else None
        if not name.startswith("d-"):
            return
        if tag == "input":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields[name] = "on"
            else:
                self.fields[name] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select":
            self.fields[name] = ""  # the first option, 一次性, unless another is selected

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None


def draft_fields(page: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(page)
    return parser.fields


def run_extract(*args) -> str:
    out = io.StringIO()
    call_command("tasks", "extract", str(SEED), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_extract_json_has_the_required_drafts(extract_report):
    drafts = json.loads(run_extract("--json", "--date", "2021-11-05"))
    assert len(drafts) >= 25
    for d in drafts:
        assert {"lead_units", "action", "deadline", "sentence"} <= set(d)
        assert d["lead_units"] and d["sentence"] and d["matched"]
    for sentence, action, lead, kind in MUST_FIND:
        (d,) = [d for d in drafts if sentence in d["sentence"] and action in d["action"]]
        assert d["lead_units"] == lead
        assert (d["deadline"] or {}).get("kind") == kind
    (housing,) = [d for d in drafts if "入冬前" in d["sentence"]]
    assert housing["deadline"]["date"] == "2021-11-07"
    extract_report.append(f"diaodu tasks extract --json: {len(drafts)} drafts, every must-find draft present")


@pytest.mark.django_db
def test_extract_text_and_errors(tmp_path):
    text = run_extract("--date", "2021-11-05")
    assert "识别出 29 条交办事项草稿" in text and "原文：" in text and "依据：" in text
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("tasks", "extract", str(tmp_path / "none.txt"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("tasks", "extract", str(SEED), "--date", "2021/11/05")
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("市发改委要尽快制定方案。".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("tasks", "extract", str(bad))


def test_the_real_command_line_without_a_database(tmp_path):
    """`diaodu tasks extract` works before any migration (units from the shipped catalogue)."""
    env = {**os.environ, "DIAODU_HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    out = subprocess.run([sys.executable, "-m", "diaodu", "tasks", "extract", str(SEED), "--json", "--date",
                          "2021-11-05"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 29  # 33 less the 4 exhortations (listed with --all)


@pytest.mark.django_db
def test_web_paste_review_confirm(personas, office):
    c = Client()
    c.login(username="ducha", password=PASSWORD)
    speech = SEED.read_text(encoding="utf-8")
    r = c.post("/tasks/extract/", {"date": "2021-11-05", "text": speech})
    page = r.content.decode()
    assert r.status_code == 200 and "审核交办事项草稿" in page
    count = page.count('class="draft')
    assert count == 29
    # Drafts whose subject is outside the catalogue come unchecked.
    assert page.count('class="draft off"') == 2
    form = {"count": str(count), "speech": speech, "assign": "on", "kind": "dispatch",
            "title": "全市经济运行调度视频会议", "date": "2021-11-05", "chair": "市长", "attendees": "",
            "briefing_ref": "1-10月调度材料", "decisions": ""}
    form.update(draft_fields(page))
    # The reviewer unchecks one draft and edits another.
    del form["d-0-keep"]
    form["d-1-action"] = "逐项目盯紧看牢今年集中开工的项目"
    form["d-1-deadline"] = "2021-11-30"
    r = c.post("/tasks/extract/confirm/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert "身上带着“军令状”" in meeting.speech and meeting.briefing_ref == "1-10月调度材料"
    tasks = list(meeting.tasks.order_by("id"))
    assert len(tasks) == 26
    assert all(t.state == State.ASSIGNED for t in tasks)
    assert tasks[0].content == "逐项目盯紧看牢今年集中开工的项目" and tasks[0].deadline == dt.date(2021, 11, 30)
    housing = Task.objects.get(deadline_text="今年入冬前")
    assert housing.deadline == dt.date(2021, 11, 7) and len(housing.lead_names()) == 9
    assert "确保今年入冬前全部入住" in housing.sentence
    page = c.get("/tasks/countdown/").content.decode()
    assert page.count('class="tile ') == 26

    # A draft naming a unit outside the catalogue is refused with the reason, nothing created.
    form["d-0-keep"] = "on"
    form["d-0-lead"] = "市外星局"
    r = c.post("/tasks/extract/confirm/", form)
    assert r.status_code == 200 and "市外星局" in r.content.decode()
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_a_monthly_report_said_in_the_speech_becomes_a_recurring_task(personas, office):
    """每月25日前报送: the draft comes with 每月报送 and 25 set, and the task asks for a report every
    month (no end date), instead of a one-off task without a deadline."""
    c = Client()
    c.login(username="ducha", password=PASSWORD)
    speech = "市统计局要加强对入库项目的指导，每月25日前报送固投入库情况。\n"
    page = c.post("/tasks/extract/", {"date": "2021-11-05", "text": speech}).content.decode()
    fields = draft_fields(page)
    assert fields["d-0-recurrence"] == "monthly" and fields["d-0-report_day"] == "25"
    form = {"count": "1", "speech": speech, "assign": "on", "kind": "dispatch", "title": "统计工作调度会",
            "date": "2021-11-05", "chair": "副市长", "attendees": "", "briefing_ref": "", "decisions": "", **fields}
    assert c.post("/tasks/extract/confirm/", form).status_code == 302
    task = Task.objects.get()
    assert (task.recurrence, task.report_day, task.deadline) == (Task.Recurrence.MONTHLY, 25, None)
    assert task.due_date(dt.date(2021, 11, 10)) == dt.date(2021, 11, 25)  # the first report, then monthly
    form["d-0-report_day"] = "31"  # no such day every month
    r = c.post("/tasks/extract/confirm/", form)
    assert r.status_code == 200 and "1到28" in r.content.decode() and Task.objects.count() == 1


@pytest.mark.django_db
def test_web_pages_render(personas, office, make_task):
    task = make_task(["武都区"], ["市发改委"], quantity_target=1500, quantity_unit="户")
    for user in ("ducha", "wudu", "leader"):
        c = Client()
        c.login(username=user, password=PASSWORD)
        for url in ("/tasks/", "/tasks/list/?state=open", "/tasks/countdown/", "/tasks/map/", "/tasks/bulletin/",
                    "/tasks/accountability/", "/tasks/meetings/", f"/tasks/{task.pk}/",
                    "/tasks/map/?unit=621202", "/tasks/list/?warning=red"):
            assert c.get(url).status_code == 200, (user, url)


@pytest.mark.django_db
def test_web_feedback_with_attachment(personas, office, make_task, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    task = make_task(["武都区"], quantity_target=1500, quantity_unit="户")
    c = Client()
    c.login(username="wudu", password=PASSWORD)
    c.post(f"/tasks/{task.pk}/do/sign/", {"version": 1})
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8fake", content_type="image/jpeg")
    sheet = SimpleUploadedFile("入住台账.xlsx", b"PK fake", content_type="application/octet-stream")
    r = c.post(f"/tasks/{task.pk}/feedback/", {"text": "已入住1200户", "quantity_done": "1200", "version": 2,
                                              "files": [photo, sheet]})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.quantity_done == 1200 and task.state == State.HANDLING
    fb = task.feedback.get()
    assert sorted(a.name for a in fb.attachments.all()) == ["入住台账.xlsx", "现场照片.jpg"]
    att = fb.attachments.get(name="现场照片.jpg")
    assert c.get(f"/tasks/attachment/{att.pk}/").status_code == 200
    other = Client()
    other.login(username="kangxian", password=PASSWORD)
    assert other.get(f"/tasks/attachment/{att.pk}/").status_code == 403
    page = c.get(f"/tasks/{task.pk}/").content.decode()
    assert "1200/1500户" in page or "1200 / 1500 户" in page
