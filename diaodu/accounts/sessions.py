"""Sessions: Django's database store, shared by every server process, with a cheaper idle timeout.

The idle timeout (``SESSION_COOKIE_AGE``, 30 minutes) is enforced by the session's expiry date in
the database. Saving the session on every request would keep it exact but costs a database write
per page view; instead a request moves the expiry on when it is more than ``TOUCH_SECONDS`` old,
so a session ends between 29 and 30 minutes after its last request.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

TOUCH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    """The database store, remembering the expiry date the loaded session had in the database."""

    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expiry = row.expire_date if row is not None else None
        return row


def expiry_is_stale(expire_date: dt.datetime, now: dt.datetime | None = None) -> bool:
    """True when a session's expiry was last moved on more than TOUCH_SECONDS ago."""
    now = now or timezone.now()
    return expire_date - now < dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - TOUCH_SECONDS)


class IdleTimeoutMiddleware:
    """Save a signed-in session whose expiry is stale, which moves it on by SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        expiry = getattr(session, "stored_expiry", None)
        if expiry is not None and not session.is_empty() and expiry_is_stale(expiry):
            session.modified = True
        return response
