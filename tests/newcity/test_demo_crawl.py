"""The same crawl over the demo, as every demo user: no response ≥ 500; and what a reader sees on
every page reachable from the menus: no developer text, no number with more decimals than the
one formatter writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from diaodu.core.ledgers import LEDGERS
from diaodu.demo import loader
from tests.helpers import demo_database
from tests.newcity.crawl import crawl, failures

pytestmark = pytest.mark.django_db
PERIOD = "2021-10"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_database(django_db_blocker) as output:
        yield output


@pytest.mark.parametrize("username", [u[0] for u in loader.DEMO_USERS])
def test_every_page_as_each_demo_user_answers_below_500(demo, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    seen = crawl(client, limit=100)
    assert len(seen) > 20
    assert failures(seen) == [], username


class _Text(HTMLParser):
    """The text a reader sees (no script, style or attribute) and the page's links."""

    def __init__(self):
        super().__init__()
        self.parts, self.links, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


DEVELOPER_TEXT = [
    (re.compile(r"\bdiaodu [a-z]"), "命令行"),
    (re.compile(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+(\(\))?"), "Python 名称"),
    (re.compile(r"\b(assigned|registered|signed|reported|reviewing|closed|entered|approved|published|rejected|"
                r"draft|pending)\b"), "英文状态"),
    (re.compile(r"(?<![\w.@/-])(demo|web|cli|api|import)(?![\w.@/-])"), "英文来源"),
]


@pytest.mark.parametrize("username", ["leader", "admin", "wudu", "ducha"])
def test_no_developer_text_in_any_page(client, demo, username):
    from diaodu.indicators.models import Observation
    from diaodu.projects.models import Project
    from diaodu.supervision.models import Task

    client.force_login(get_user_model().objects.get(username=username))
    # The menus and what they link to, and one record page of each kind with its history.
    details = [Task.objects.order_by("pk").first().get_absolute_url(), Project.objects.order_by("pk").first()
               .get_absolute_url(), f"/data/figure/{Observation.objects.order_by('pk').first().pk}/"]
    ledgers = [f"/ledgers/{slug}/" for slug in LEDGERS]  # each ledger's list and, below it, its records
    queue, seen, problems = ["/", "/screen/", "/county/621202/", f"/gap/?period={PERIOD}", *details, *ledgers], set(), []
    while queue and len(seen) < 150:
        url = queue.pop(0)
        path = url.split("#")[0]
        if path in seen or not path.startswith("/") or path.startswith(("/admin", "/static", "/accounts/logout")):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        text = " ".join(parser.parts)
        for pattern, what in DEVELOPER_TEXT:
            for match in pattern.finditer(text):
                problems.append(f"{path}: {what} “{match.group(0)}”")
        # The one formatter (diaodu/core/numbers.py) writes at most two decimals (亿元, scores), and
        # 万元 and 元 as integers, on every page: dispatch room and ledgers alike.
        problems += [f"{path}: 小数位过多 “{m}”" for m in re.findall(r"\d+\.\d{3,}", text)]
        problems += [f"{path}: 万元/元带小数 “{m}”" for m in re.findall(r"\d\.\d+\s*(?:万元|(?<![亿万])元)", text)]
        if path.count("/") <= 3:  # follow the menus and one level below them
            queue += [h for h in parser.links if h.startswith("/") and "download" not in h and "export" not in h]
    assert len(seen) > 20
    assert not problems, "\n".join(problems[:30])
