"""Shared personas (NetBox/Zulip habit: one set of users for every test)."""

from __future__ import annotations

import pytest

from diaodu.org import home
from diaodu.org.models import Role
from tests.helpers import TEST_CITY, demo_is_loaded, empty_caches, make_personas, make_user


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


# The longest files (``--durations``: tens of seconds each), started first so that the short ones
# fill in around them and no worker is left alone with a long file at the end; browser files the same
# among themselves.
LONG_FILES = [
    "tests/browser/test_screen.py", "tests/browser/test_dashboard.py", "tests/browser/test_month_end.py",
    "tests/newcity/test_demo_crawl.py", "tests/api/test_matrix.py", "tests/ingest/test_importers_corpus.py",
    "tests/briefings/test_pdf_layout.py", "tests/api/test_live.py", "tests/briefings/test_briefings.py",
    "tests/ingest/test_import_crash.py", "tests/core/test_ledger_views.py", "tests/newcity/test_new_city.py",
]


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: they share one demo database committed for the
    whole session (tests/browser/conftest.py), which no other test should see.
    Under pytest-xdist (``scripts/test``: ``--dist loadfile``) files are handed out in this order,
    so a worker that takes a browser file has no other kind left; each worker has its own test
    database (pytest-django names it test_…_gw0, test_…_gw1) and so its own demo.
    Within each kind, the LONG_FILES first (a stable sort: a file's tests stay together, in order)."""
    root = config.rootpath

    def rank(item) -> int:
        path = item.path.relative_to(root).as_posix()
        return LONG_FILES.index(path) if path in LONG_FILES else len(LONG_FILES)

    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, rank(item)))


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: entries are keyed by the data fingerprint, which two
    tests' databases may share (ids and times of small databases built by each test, rolled back,
    regions the fingerprint does not count). Not within a module over the demo, whose tests all
    start from the one committed demo (tests.helpers.demo_is_loaded): the dashboard's pages and
    results computed by its first test serve the next as they would the server's next request."""
    if not demo_is_loaded():
        empty_caches()


@pytest.fixture
def auditor(db):
    """An 审计员 of the city government's office."""
    return make_user("shenji", "zfb", [Role.AUDITOR])


@pytest.fixture
def personas(db):
    """A county clerk of 武都 and of 康县, the city statistics bureau's approver
    and clerk, a leader, an admin."""
    return make_personas()
