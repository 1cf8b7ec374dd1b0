"""A demo database shared by a test module: loaded once, committed, then emptied back to what the
migrations ship (regions, departments, peer groups, the indicator catalogue) for the next module."""

from __future__ import annotations

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import connection


def check_test_database() -> None:
    """Never load into (or flush) a real database."""
    name = str(connection.settings_dict["NAME"])
    assert "memorydb" in name or name.split("/")[-1].startswith("test"), f"not a test database: {name}"


def restore_shipped_data() -> None:
    from diaodu.indicators.models import Indicator
    from diaodu.org import loaders
    from diaodu.org.models import Department, PeerGroup, Region

    loaders.load_regions(Region)
    loaders.load_departments(Department)
    loaders.load_peer_groups(PeerGroup, Region)
    loaders.load_catalogue(Indicator)


@contextmanager
def demo_database(django_db_blocker):
    """Yields the output of ``diaodu demo --no-serve`` (which also precomputes)."""
    with django_db_blocker.unblock():
        check_test_database()
        out = StringIO()
        call_command("demo", "--no-serve", stdout=out)
        try:
            yield out.getvalue()
        finally:
            call_command("flush", interactive=False, verbosity=0)
            restore_shipped_data()
