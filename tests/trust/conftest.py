"""Personas for the trust tests: the shared ones plus an auditor (审计员)."""

from __future__ import annotations

import pytest
from django.test import Client

from diaodu.org.models import Role
from tests.helpers import PASSWORD, make_user


@pytest.fixture
def auditor(db):
    return make_user("shenji", "zfb", [Role.AUDITOR])


def web_login(client: Client, username: str, password: str = PASSWORD, **extra):
    """Sign in through the login page (not the test client's shortcut): the lock,
    the second factor and the records all apply."""
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)
