"""The caches (Django's cache framework, diaodu.core.caching) under the 4 threads of ``diaodu serve``.

The hand-rolled LRUs they replace raised KeyError here: one thread's get → move_to_end against
another's popitem."""

from __future__ import annotations

import threading

from django.core.cache import caches
from django.test import override_settings

from diaodu.conf import SettingError, caches_from_url
from diaodu.core.caching import key, remember
from diaodu.dashboard.context import recent

# Tiny caches: nearly every set culls, as a full cache would under load.
TINY = {alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"tiny-{alias}",
                "OPTIONS": {"MAX_ENTRIES": 8, "CULL_FREQUENCY": 2}} for alias in ("default", "local")}


def _hammer(worker: int, errors: list, wrong: list) -> None:
    try:
        for i in range(1500):
            n = (i * 7 + worker) % 40  # 40 keys over 8 places: hits, misses and culls
            for alias in ("default", "local"):
                value = remember(alias, key("stress", alias, n), lambda n=n: {"n": n, "rows": list(range(n))})
                if value != {"n": n, "rows": list(range(n))}:
                    wrong.append((alias, n, value))
            if recent(f"fact-{n % 3}", lambda n=n: n % 3) != n % 3:
                wrong.append(("recent", n))
    except Exception as exc:  # noqa: BLE001 — the point of the test is that nothing is raised
        errors.append(repr(exc))


@override_settings(CACHES=TINY, DIAODU_FINGERPRINT_SECONDS=60)
def test_four_threads_over_the_cache_paths_raise_nothing():
    errors: list = []
    wrong: list = []
    threads = [threading.Thread(target=_hammer, args=(w, errors, wrong)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and wrong == []
    for alias in ("default", "local"):
        caches[alias].clear()


def test_keys_are_short_and_safe_for_any_parts():
    made = key("page", "home", [("indicator", "gdp 总量")], None, "f" * 300)
    assert made.startswith("page:") and len(made) < 60 and " " not in made
    assert made == key("page", "home", [("indicator", "gdp 总量")], None, "f" * 300)
    assert made != key("page", "home", [("indicator", "gdp")], None, "f" * 300)


def test_cache_url_choices():
    assert caches_from_url("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = caches_from_url("redis://127.0.0.1:6379/1")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1" and redis["KEY_PREFIX"].startswith("diaodu-")
    assert caches_from_url("redis://x")["local"]["BACKEND"].endswith("LocMemCache")  # DataFrames stay home
    try:
        caches_from_url("memcached://127.0.0.1")
    except SettingError as exc:
        assert "CACHE_URL" in str(exc)
    else:
        raise AssertionError("an unknown cache URL must be refused")
