"""Shared personas (NetBox/Zulip habit: one set of users for every test)."""

from __future__ import annotations

import pytest

from diaodu.org.models import Role
from tests.helpers import make_user


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: they share one demo database committed for the
    whole session (tests/browser/conftest.py), which no other test should see."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def personas(db):
    """A county clerk of 武都 and of 康县, the city statistics bureau's approver
    and clerk, a leader, an admin."""
    return {
        "wudu": make_user("wudu", "621202", [Role.ENTER]),
        "kangxian": make_user("kangxian", "621224", [Role.ENTER]),
        "tongji": make_user("tongji", "tjj", [Role.APPROVE, Role.ENTER]),
        "tongji2": make_user("tongji2", "tjj", [Role.APPROVE]),
        "fgw": make_user("fgw", "fgw", [Role.ENTER]),
        "leader": make_user("leader", "621200", [Role.LEADER]),
        "admin": make_user("admin", "zfb", [Role.ADMIN], staff=True),
    }
