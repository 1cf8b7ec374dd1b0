"""Number formats of the ledger pages: shares as %, gaps as points."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value, digits=1):
    """0.4 → '40.0%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def pts(value, digits=1):
    """A share difference as signed percentage points: -0.43 → '-43.0个百分点'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:+.{int(digits)}f}"


@register.filter
def num(value, digits=2):
    if value is None or value == "":
        return "—"
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
