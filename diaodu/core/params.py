"""Query parameters checked at the boundary: a bad one is a Chinese 400 page naming
it, never a 500 from deep in the ORM (``/projects/?batch=abc``)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.shortcuts import render

ID_MAX = 2**31 - 1  # the largest id every database here stores (PostgreSQL integer)


class BadParameter(BadRequest):
    """A query parameter that is not what the page takes; the message names it."""


def id_param(params, name: str) -> int | None:
    """An id (1 … 2³¹−1) or None when absent; anything else is a BadParameter."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= ID_MAX:
        raise BadParameter(f"参数 {name}=“{raw[:40]}”不正确：应为编号（正整数）。")
    return int(raw)


def bad_request(request, exception=None):
    """handler400: the site's page, naming the parameter when it was ours that failed."""
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"exception": message}, status=400)
