"""A crawler over the site's links as one signed-in user: every page reachable from 总览, each URL
shape (path with its numbers, and the query's keys) visited a few times, never a 5xx."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

LINK = re.compile(r"""(?:href|hx-get|data-href)="(/[^"#]*)""")
SKIP = ("/accounts/logout", "/static/", "/admin/logout", "/media/")
PER_SHAPE = 2


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    keys = sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return path + "?" + "&".join(keys)


ERRORS: dict[str, str] = {}  # url -> the last line of the exception a 5xx came from


def _remember(sender, request=None, **kwargs):
    import traceback

    ERRORS[request.get_full_path() if request else "?"] = traceback.format_exc().strip().splitlines()[-1]


def crawl(client, start: str | list[str] = "/", limit: int = 400,
          on_page: Callable[[str, str], None] | None = None) -> dict[str, int]:
    """GET every URL reachable from ``start`` (within PER_SHAPE per shape and ``limit`` in all);
    {url: status}. A view's exception becomes a 500 here (recorded in ERRORS), so one run lists
    every failure. ``on_page(url, html)`` is called with every page that answered 200 with HTML."""
    from django.core.signals import got_request_exception

    client.raise_request_exception = False
    got_request_exception.connect(_remember)
    try:
        return _crawl(client, [start] if isinstance(start, str) else start, limit, on_page)
    finally:
        got_request_exception.disconnect(_remember)


def _crawl(client, start: list[str], limit: int, on_page) -> dict[str, int]:
    seen: dict[str, int] = {}
    shapes: Counter = Counter()
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        if shapes[shape(url)] >= PER_SHAPE:
            continue
        shapes[shape(url)] += 1
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code >= 500:
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode("utf-8", "replace")
        if on_page is not None and response.status_code == 200:
            on_page(url, body)
        for link in LINK.findall(body):
            link = unescape(link)
            parts = urlsplit(link)
            query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
            link = parts.path + ("?" + query if query else "")
            if link not in seen:
                queue.append(link)
    return seen


def failures(seen: dict[str, int]) -> list[str]:
    return [f"{status} {url} {ERRORS.get(url, '')}" for url, status in seen.items() if status >= 500]
