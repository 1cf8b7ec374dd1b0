"""The same crawl over the demo, as every demo user: no response ≥ 500; and what a reader sees on
every page it reaches: no developer text, no number with more decimals than the one formatter
writes."""

from __future__ import annotations

import functools
import re
from html import unescape

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


_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    """The text a reader sees: no script, style, tag or attribute."""
    return unescape(_TAG.sub(" ", _HIDDEN.sub(" ", html)))


DEVELOPER_TEXT = [
    (re.compile(r"\bdiaodu [a-z]"), "命令行"),
    (re.compile(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+(\(\))?"), "Python 名称"),
    (re.compile(r"\b(assigned|registered|signed|reported|reviewing|closed|entered|approved|published|rejected|"
                r"draft|pending)\b"), "英文状态"),
    (re.compile(r"(?<![\w.@/-])(demo|web|cli|api|import)(?![\w.@/-])"), "英文来源"),
]


@functools.cache
def choice_codes() -> re.Pattern:
    """Every stored code of a model field's choices (materials, partial, county …): a page shows its
    label (原材料, 半停产, 县区), never the code. Not a word some record has as its own code (the
    demo's 产业链 tourism): that is data, shown as typed."""
    from django.apps import apps

    codes = {key for model in apps.get_models() for field in model._meta.get_fields()
             for key, _ in getattr(field, "choices", None) or ()
             if isinstance(key, str) and re.fullmatch(r"[a-z][a-z_]{2,}", key)}
    codes -= {value for model in apps.get_models() if any(f.name == "code" for f in model._meta.concrete_fields)
              for value in model._default_manager.values_list("code", flat=True)}
    return re.compile(r"(?<![\w.@/:=-])(" + "|".join(sorted(codes, key=len, reverse=True)) + r")(?![\w.@/-])")


def developer_text(path: str, html: str) -> list[str]:
    """What a reader of the page should not see: developer text, and numbers with more decimals
    than the one formatter (diaodu/core/numbers.py) writes: at most two (亿元, scores), 万元 and 元
    as integers, on every page: dispatch room and ledgers alike."""
    text = visible_text(html)
    problems = [f"{path}: {what} “{match.group(0)}”" for pattern, what in [*DEVELOPER_TEXT, (choice_codes(), "选项代码")]
                for match in pattern.finditer(text)]
    problems += [f"{path}: 小数位过多 “{m}”" for m in re.findall(r"\d+\.\d{3,}", text)]
    problems += [f"{path}: 万元/元带小数 “{m}”" for m in re.findall(r"\d\.\d+\s*(?:万元|(?<![亿万])元)", text)]
    return problems


# Every demo user, and the supervising office's clerk the supervision demo adds.
USERS = [u[0] for u in loader.DEMO_USERS] + ["ducha"]


@pytest.mark.parametrize("username", USERS)
def test_every_page_as_each_demo_user_answers_below_500_without_developer_text(demo, username):
    """One crawl per user from the menus, one record page of each kind with its history, and each
    ledger's list (and, below it, its records)."""
    from diaodu.indicators.models import Observation
    from diaodu.projects.models import Project
    from diaodu.supervision.models import Task

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    details = [Task.objects.order_by("pk").first().get_absolute_url(), Project.objects.order_by("pk").first()
               .get_absolute_url(), f"/data/figure/{Observation.objects.order_by('pk').first().pk}/"]
    start = ["/", "/screen/", "/county/621202/", f"/gap/?period={PERIOD}", *details,
             *(f"/ledgers/{slug}/" for slug in LEDGERS)]
    problems: list[str] = []

    def read(url: str, html: str) -> None:
        if not url.startswith("/admin"):  # Django's admin is its own interface
            problems.extend(developer_text(url, html))

    seen = crawl(client, start=start, limit=120, on_page=read)
    assert len(seen) > 20
    assert failures(seen) == [], username
    assert not problems, "\n".join(problems[:30])
