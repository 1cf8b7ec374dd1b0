"""Tags of the frame every page shares (diaodu/templates/base.html)."""

from __future__ import annotations

import functools

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def frame_url(name: str, *args) -> str:
    """``{% url %}`` for the frame's links, reversed once per process: a reverse costs ~50 µs and
    the frame has twenty links on every page view (bench/web_bench.py, first views)."""
    return _reversed(name, args)


@functools.lru_cache(maxsize=64)
def _reversed(name: str, args: tuple) -> str:
    return reverse(name, args=args)
