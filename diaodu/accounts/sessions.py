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
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

TOUCH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    """The database store, remembering the expiry date the loaded session had in the database."""

    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self):
        # Plain SQL rather than Django's ``objects.get``: every page view loads its session, and the
        # ORM's compiling of the query was a tenth of a first view's time (bench/web_bench.py).
        model = self.model
        with connection.cursor() as cursor:
            cursor.execute(SESSION_SQL.format(table=connection.ops.quote_name(model._meta.db_table)),
                           [self.session_key])
            row = cursor.fetchone()
        expiry = as_datetime(row[1]) if row is not None else None
        if expiry is None or expiry <= timezone.now():
            self._session_key = None  # as Django's: a missing or expired session starts afresh
            self.stored_expiry = None
            return None
        self.stored_expiry = expiry
        return model(session_key=self.session_key, session_data=row[0], expire_date=expiry)


SESSION_SQL = "SELECT session_data, expire_date FROM {table} WHERE session_key = %s"


def as_datetime(value) -> dt.datetime:
    """A stored expiry as an aware datetime (SQLite gives it naive or as text, in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=dt.UTC) if timezone.is_naive(value) else value


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
