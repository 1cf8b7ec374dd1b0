"""The wall and a county profile on a database with nothing published: a clear Chinese page, no error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_screen_and_county_profile_before_any_publication(client, personas):
    client.force_login(personas["leader"])
    response = client.get("/screen/")
    assert response.status_code == 200 and "暂无已发布的数据" in response.content.decode()
    assert client.get("/screen/state.json").json()["period"] is None
    response = client.get("/county/621202/")
    assert response.status_code == 200 and "暂无已发布的数据" in response.content.decode()
    assert client.get("/start/")["Location"] == "/"
