"""The one number formatter: how Diaodu prints a figure, in documents, spreadsheets, speech and pages.

Rules (the dispatch room's, written down once):

- **Round half up on the decimal value**, never on a binary float: 52.275 prints 52.28 and 58.225
  prints 58.23 (Python's ``round`` and ``f"{x:.2f}"`` give 52.27 for the first, because the float
  nearest 52.275 is 52.27499…). A float is read by its shortest repr (``str(52.275) == "52.275"``).
- **One number of decimals per unit**: 亿元 2, % and 个百分点 1, 元 and 万元 integers, ranks and
  counts integers (:data:`UNIT_DIGITS`, :func:`digits_for`). 元 prints with thousands separators
  (12,345); nothing else does, so the other numbers stay parseable.
- **Differences are computed from the printed numbers**: if 83.3 and 39.9 are printed, their gap is
  43.4 (:func:`difference`), whatever the unrounded values give.
- **Negative growth is 下降 in prose** (:func:`growth`): "下降6.9%", never "增长-6.9%" or "（-6.9%）".
- **Ties are named together** (:func:`ties`, :func:`extremes`): two counties at 12.0% are both the
  slowest.

    >>> text(52.275, 2), text(58.225, 2), text(12345.6, unit="元"), text(-0.04, 1)
    ('52.28', '58.23', '12,346', '0.0')
    >>> growth(-6.94)
    '下降6.9%'
    >>> difference(83.34, 39.94, 1)
    Decimal('43.4')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

T = TypeVar("T")

NONE_TEXT = "—"  # what a table prints for a missing number

UNIT_DIGITS = {
    "亿元": 2,
    "万元": 0,
    "元": 0,
    "%": 1,
    "个百分点": 1,
    "百分点": 1,
    "分": 2,  # evaluation scores
    "位": 0,
    "个": 0,
    "户": 0,
    "件": 0,
    "天": 0,
    "月": 0,
    "年": 0,
}
THOUSANDS_UNITS = {"元"}  # printed with thousands separators (12,345元)


def digits_for(unit: str | None, default: int = 1) -> int:
    """The decimals a figure in ``unit`` prints with (亿元 2, % 1, 元 0 …; ``default`` otherwise)."""
    return UNIT_DIGITS.get((unit or "").strip(), default)


def decimal(value) -> Decimal | None:
    """``value`` as the decimal number it was written as: a float by its shortest repr (0.1 is
    Decimal('0.1'), not 0.1000000000000000055…), an int, a Decimal or a numeric string as is;
    ``None`` (and NaN) stays ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise ValueError(f"不是数字：{value!r}") from None
    return None if number.is_nan() else number


def rounded(value, digits: int) -> Decimal | None:
    """``value`` rounded half up to ``digits`` decimals, as a Decimal (``None`` for missing)."""
    number = decimal(value)
    if number is None:
        return None
    result = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return result + 0 if result == 0 else result  # no negative zero: -0.0 → 0.0


def number(value, digits: int) -> float | int | None:
    """The printed value as a Python number (what a spreadsheet cell stores: the value it shows)."""
    r = rounded(value, digits)
    if r is None:
        return None
    return int(r) if digits == 0 else float(r)


def text(value, digits: int | None = None, *, unit: str | None = None, thousands: bool | None = None,
         trim: bool = False) -> str:
    """The printed text of ``value``: ``digits`` decimals (or the unit's, :func:`digits_for`),
    half up; thousands separators for 元 (or when ``thousands``); ``trim`` drops a zero fraction
    (targets read as whole numbers: 10.0 → 10, 7.5 stays); "—" for a missing value."""
    if digits is None:
        digits = digits_for(unit)
    r = rounded(value, digits)
    if r is None:
        return NONE_TEXT
    if thousands is None:
        thousands = (unit or "").strip() in THOUSANDS_UNITS
    out = f"{r:,.{digits}f}" if thousands else f"{r:.{digits}f}"
    if trim and "." in out:
        out = out.rstrip("0").rstrip(".")
    return out


def difference(a, b, digits: int) -> Decimal | None:
    """``a − b`` as a reader checks it: the difference of the two numbers as printed."""
    ra, rb = rounded(a, digits), rounded(b, digits)
    if ra is None or rb is None:
        return None
    return ra - rb


def growth(value, digits: int = 1, *, up: str = "增长", down: str = "下降", unit: str = "%") -> str:
    """Prose for a growth rate: 增长5.2% / 下降6.9% (the sign goes into the word, the number is its
    magnitude); a rate that prints as zero is 持平. ``up``/``down`` name other pairs (高于/低于,
    前移/后退) and ``unit`` what follows the number ("个百分点", "位", "")."""
    r = rounded(value, digits)
    if r is None:
        return NONE_TEXT
    if r == 0:
        return "持平"
    return f"{up if r > 0 else down}{text(abs(r), digits)}{unit}"


def ties(items: Iterable[T], value_of: Callable[[T], object], digits: int) -> list[list[T]]:
    """``items`` grouped by their printed value, highest first; items that print the same are one
    group (so a sentence names them together). Items without a value are left out."""
    groups: dict[Decimal, list[T]] = {}
    for item in items:
        r = rounded(value_of(item), digits)
        if r is not None:
            groups.setdefault(r, []).append(item)
    return [groups[k] for k in sorted(groups, reverse=True)]


def extremes(items: Iterable[T], value_of: Callable[[T], object], digits: int) -> tuple[list[T], list[T]]:
    """(the highest, the lowest) by printed value, each a list holding every tie; ([], []) for none."""
    grouped = ties(items, value_of, digits)
    if not grouped:
        return [], []
    return grouped[0], grouped[-1]


def joined(names: Iterable[str]) -> str:
    """Names as a Chinese list: 甲、乙、丙."""
    return "、".join(names)


WAN = Decimal("0.0001")  # the ledgers' 亿元 amounts are kept to the 万元


def to_wan(value) -> Decimal:
    """An amount in 亿元, to the 万元."""
    return Decimal(str(float(value))).quantize(WAN)


def split_amount(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split an amount (亿元) by weights to the 万元, the rounding remainder on the largest share,
    so the parts add up to the total exactly."""
    if not weights:
        return []
    s = sum(weights)
    parts = [(total * Decimal(str(w / s))).quantize(WAN, rounding=ROUND_DOWN) for w in weights]
    parts[max(range(len(weights)), key=weights.__getitem__)] += total - sum(parts)
    return parts
