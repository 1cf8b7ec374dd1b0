"""A repeat view of a dispatch-room page is served from the page cache, and only while the reader
is still signed in, unchanged, and the data the page was rendered from is still current.

A hit renders no template (``response.templates`` is empty); a miss goes through the whole stack.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from diaodu.indicators.models import Indicator, Target
from diaodu.org.models import Region, Role
from tests.helpers import make_user


@pytest.fixture
def reader(db):
    user = make_user("leader", "621200", [Role.LEADER])
    client = Client()
    client.force_login(user)
    client.get("/")  # sets the CSRF cookie (a browser has it from the login page)
    first = client.get("/")
    assert first.status_code == 200 and first.templates, "the first view renders the page"
    return user, client, first


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_repeat_view_is_the_same_page_without_rendering(reader):
    _, client, first = reader
    again = client.get("/")
    assert again.status_code == 200 and again.templates == []
    assert again.content == first.content
    assert again["X-Frame-Options"] == first["X-Frame-Options"]


def test_another_url_is_rendered_for_itself(reader):
    _, client, _ = reader
    other = client.get("/?period=2021-10")  # nothing published: the page says so, whatever the period
    assert other.status_code == 200 and other.templates and "暂无已发布数据" in other.content.decode()


def test_a_signed_out_session_gets_the_login_page_not_the_cache(reader):
    _, client, _ = reader
    session_row(client).delete()  # signed out, from this or any other process
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_expired_session_gets_the_login_page(reader):
    _, client, _ = reader
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/").status_code == 302


def test_a_deactivated_user_is_refused(reader):
    user, client, _ = reader
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/").status_code == 302


def test_a_password_changed_elsewhere_ends_the_session(reader):
    user, client, _ = reader
    user.set_password("Another#pass2021")
    user.save(update_fields=["password"])
    assert client.get("/").status_code == 302


def test_a_change_of_staff_flag_renders_the_frame_again(reader):
    user, client, first = reader
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    again = client.get("/")
    assert again.templates and "配置" in again.content.decode()


def test_a_stale_expiry_takes_the_full_path_which_moves_it_on(reader):
    _, client, _ = reader
    key = session_row(client).pk
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    response = client.get("/")
    assert response.status_code == 200 and response.templates
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    assert client.get("/").templates == []  # fresh again: back to the cache


def test_new_data_renders_the_page_again(reader):
    _, client, _ = reader
    Target.objects.create(region=Region.objects.get(code="621200"), indicator=Indicator.objects.get(code="gdp"),
                          year=2021, growth=7.0, source=Target.Source.choices[0][0])  # changes the fingerprint
    assert client.get("/").templates


def test_a_post_is_never_answered_from_the_cache(reader):
    _, client, _ = reader
    assert client.post("/").status_code == 405  # the pages are GET only: the view itself answered
