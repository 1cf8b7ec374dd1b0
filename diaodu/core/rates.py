"""Ratios and competition ranks, shared by the ledgers' rates (projects, investment …). Pure.

Ranks: 1 is best; equal values share a rank and the next rank skips ("1, 2, 2, 4"); a missing value
ranks nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

Number = float | int | Decimal


def ratio(part: Number | None, whole: Number | None) -> float | None:
    """part / whole as a float, None when the whole is zero or missing."""
    if part is None or whole is None or float(whole) == 0:
        return None
    return float(part) / float(whole)


def rank(values: Mapping[str, float | None], *, descending: bool = True) -> dict[str, int | None]:
    """Competition ranks ("1224") of keyed values; None values get None."""
    present = [(k, v) for k, v in values.items() if v is not None]
    ordered = sorted(present, key=lambda kv: -kv[1] if descending else kv[1])
    out: dict[str, int | None] = {k: None for k in values}
    previous, previous_rank = None, 0
    for index, (key, value) in enumerate(ordered, start=1):
        if previous is None or abs(value - previous) > 1e-12:
            previous_rank = index
        out[key] = previous_rank
        previous = value
    return out
