"""The same crawl over the demo, as every demo user: no response ≥ 500."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from diaodu.demo import loader
from tests.helpers import demo_database
from tests.newcity.crawl import crawl, failures

pytestmark = pytest.mark.django_db


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
