"""Helpers over Django's cache framework (settings.CACHES, built by ``diaodu.conf.caches_from_url``).

``default`` may be Redis shared by every worker; ``local`` is always this process's memory. Both
are thread-safe (``diaodu serve`` runs several threads per worker), unlike the ordered dicts they
replace. Entries are keyed by the data fingerprint, so a publication never needs to clear them:
the old keys are simply not asked for again and expire.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches

MISSING = object()


def key(*parts) -> str:
    """A short cache key for any parts (memcached/Redis-safe: no spaces, bounded length)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"{parts[0]}:{digest}"


def remember(alias: str, cache_key: str, read, timeout: float | None = None):
    """The cached value under ``cache_key``, else ``read()`` stored there (None is stored too)."""
    store = caches[alias]
    value = store.get(cache_key, MISSING)
    if value is MISSING:
        value = read()
        if timeout is None:
            store.set(cache_key, value)
        else:
            store.set(cache_key, value, timeout)
    return value


def recent(name: str, read):
    """``read()``, re-read at most every DIAODU_FINGERPRINT_SECONDS per process (0: every call).

    For facts every page view needs and that change only with a publication, a demo load or a
    city's set-up: under load a page view then costs no query for them; a change shows at most
    that many seconds later. Kept in the process's own cache (``local``): a shared cache would
    cost a round trip per view.
    """
    ttl = settings.DIAODU_FINGERPRINT_SECONDS
    if ttl <= 0:
        return read()
    return remember("local", f"recent:{name}", read, ttl)
