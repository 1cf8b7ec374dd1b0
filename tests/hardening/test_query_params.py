"""Finding 12's 500s on bad parameters (``/projects/?batch=abc``,
``/tasks/list/?meeting=99999999999999999999``): every page of the site, every
query parameter the code reads, hostile values → never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PARAMETERS = ["period", "region", "indicator", "page", "measure", "stage", "channel", "warning", "unpaid", "unit",
              "status", "state", "scale", "q", "meeting", "batch", "list", "kind", "level", "k", "user", "since",
              "until", "what", "object", "year", "month", "department", "type", "category", "priority", "owner"]
VALUES = ["abc", "99999999999999999999", "-1", "2021-13", "%00'", "２０２１"]
SKIP = ("admin/", "static/", "api/", "accounts/logout", "media/")


def pages() -> list[str]:
    out = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    for route in walk(get_resolver().url_patterns):
        if "<" in route or route.startswith(SKIP) or route.startswith("^") or "download" in route:
            continue
        out.append("/" + route)
    return out


def test_hostile_query_parameters_never_give_a_500(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas["leader"])
    failures = []
    for page in pages():
        for value in VALUES:  # every parameter at once: a page reads the ones it takes
            response = client.get(page, {name: value for name in PARAMETERS})
            if response.status_code >= 500:
                failures.append(f"{page}?…={value} → {response.status_code}")
    for page, name in (("/projects/", "batch"), ("/tasks/list/", "meeting")):  # one at a time where they failed
        for value in VALUES:
            if client.get(page, {name: value}).status_code >= 500:
                failures.append(f"{page}?{name}={value}")
    assert not failures, "\n".join(failures[:60])


def test_a_bad_parameter_gets_a_chinese_400_page(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas["leader"])
    for url in ("/projects/?batch=abc", "/tasks/list/?meeting=99999999999999999999"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "参数" in response.content.decode(), url
