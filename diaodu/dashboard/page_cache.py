"""Repeat views of a dispatch-room page, answered without running the whole Django stack again.

In the meeting room the same people reload the same pages. A page's body is already rendered once
per data fingerprint (``views._page``); what remains per view is Django's own work — session,
user, CSRF, messages, the page frame — which costs several times the page lookup. This middleware,
placed before the session middleware, keeps the last full response of each (session, CSRF cookie,
URL) in the cache (``default``: this process's memory, or Redis shared by the workers) and serves
it again while all of these still hold, checked on every request:

- the session row still exists, is not expired, its expiry is fresh (otherwise the full path runs
  and moves it on: ``accounts.sessions``) and its data is exactly what it was when the page was
  rendered (same user, same login, no password-expiry flag, no pending messages);
- the user row still has the same password hash, active and staff flags;
- the data fingerprint is the one the page was rendered with;
- the response is at most ``MAX_AGE`` seconds old (roles and unit names shown in the page frame
  change within that time).

Anything else — no session cookie, a different URL, a POST, a message cookie — takes the full
path, which stores its response again when it rendered a dashboard page for a signed-in user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from diaodu.accounts.sessions import SESSION_SQL, SessionStore, as_datetime, expiry_is_stale
from diaodu.core.caching import key as cache_key

MAX_AGE = 60  # seconds: the cache forgets a response after that


@dataclass(frozen=True)
class _Stored:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    session: dict
    user: tuple  # (id, password hash, is_active, is_staff)
    fingerprint: str


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        user_model = get_user_model()
        self.session_sql = SESSION_SQL.format(table=connection.ops.quote_name(Session._meta.db_table))
        self.user_sql = (
            f"SELECT password, is_active, is_staff FROM {connection.ops.quote_name(user_model._meta.db_table)} "
            "WHERE id = %s"
        )

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        hit = cache.get(cache_key("page-view", *key))
        if hit is not None and self._still_valid(hit, key[0]):
            response = HttpResponse(hit.content)
            for name, value in hit.headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        self._remember(key, request, response)
        return response

    @staticmethod
    def _key(request) -> tuple | None:
        if request.method != "GET" or "messages" in request.COOKIES:
            return None
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return None
        return (session_key, request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""), request.get_full_path())

    def _still_valid(self, hit: _Stored, session_key: str) -> bool:
        from diaodu.dashboard.views import fingerprint

        if fingerprint() != hit.fingerprint:
            return False
        with connection.cursor() as cursor:
            cursor.execute(self.session_sql, [session_key])
            row = cursor.fetchone()
            if row is None:
                return False
            data, expire_date = row
            expire_date = as_datetime(expire_date)
            if expire_date <= timezone.now() or expiry_is_stale(expire_date):
                return False
            if SessionStore().decode(data) != hit.session:
                return False
            cursor.execute(self.user_sql, [hit.user[0]])
            user = cursor.fetchone()
        return user is not None and (hit.user[0], user[0], bool(user[1]), bool(user[2])) == hit.user

    def _remember(self, key: tuple, request, response) -> None:
        fingerprint = getattr(request, "page_fingerprint", None)  # set by views._page
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            fingerprint is None or response.status_code != 200 or response.streaming or user is None
            or not user.is_authenticated or session is None or session.session_key != key[0]
            or len(getattr(request, "_messages", ())) or response.cookies.get("messages")
        ):
            return
        headers = tuple((name, value) for name, value in response.headers.items() if name.lower() != "set-cookie")
        stored = _Stored(response.content, headers, dict(session.items()),
                         (user.pk, user.password, user.is_active, user.is_staff), fingerprint)
        cache.set(cache_key("page-view", *key), stored, MAX_AGE)
