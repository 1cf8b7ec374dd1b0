"""The demo accounts' one public password (demo databases only: a real deployment creates its own
users with ``diaodu adduser``)."""

from __future__ import annotations

import functools

from django.contrib.auth.hashers import get_hasher, make_password

DEMO_PASSWORD = "Diaodu#2021"


@functools.cache
def _demo_password_hash(algorithm: str) -> str:
    return make_password(DEMO_PASSWORD, hasher=algorithm)


def set_demo_password(user) -> None:
    """Give a demo account the demo's one public password, hashed once per process (and hasher):
    hashing it anew for each of the demo's 30 accounts took a third of ``diaodu demo``. The shared
    salt gives nothing away, the password being printed for everyone to use."""
    user.password = _demo_password_hash(get_hasher().algorithm)
