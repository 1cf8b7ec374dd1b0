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


def pytest_configure(config):
    """Tests create many users: PBKDF2 with 1,000,000 rounds would dominate their time, so the
    suite (and only the suite: production settings know nothing of it) hashes with MD5."""
    from django.test import override_settings

    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: they share one demo database committed for the
    whole session (tests/browser/conftest.py), which no other test should see.
    Under pytest-xdist (``scripts/test``: ``--dist loadfile``) files are handed out in this order,
    so a worker that takes a browser file has no other kind left; each worker has its own test
    database (pytest-django names it test_…_gw0, test_…_gw1) and so its own demo."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: entries are keyed by the data fingerprint, which two
    tests' databases may share. (Only the in-memory ones: a Redis named by CACHE_URL is left alone.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()


@pytest.fixture
def auditor(db):
    """An 审计员 of the city government's office."""
    return make_user("shenji", "zfb", [Role.AUDITOR])


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
