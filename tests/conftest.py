"""Shared personas (NetBox/Zulip habit: one set of users for every test)."""

from __future__ import annotations

import pytest

from diaodu.org import home
from diaodu.org.models import Role
from tests.helpers import TEST_CITY, make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated test database, set up for the test city (``diaodu setup-city``)."""
    from diaodu.org.setup import setup_city

    with django_db_blocker.unblock():
        setup_city(TEST_CITY)


@pytest.fixture(autouse=True)
def _forget_home_city():
    """A test that sets up another city rolls back; the process must not remember that city."""
    yield
    home.forget()


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
