"""The rounding a reader checks, written independently of diaodu.core.numbers: the decimal value
(a float by its shortest repr) rounded half up, thousands separators only where the text has them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def half_up(value, digits: int) -> Decimal:
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def check_fact_text(fact: dict, value) -> None:
    """``fact['text']`` is ``value`` (already transformed) rounded half up to the fact's digits."""
    text = fact["text"]
    expected = half_up(value, fact["digits"])
    if "trim" in fact["transform"].split("+"):
        assert Decimal(text) == expected, fact
    else:
        assert Decimal(text.replace(",", "")) == expected and text.replace(",", "").replace("-", "").count(".") \
            == (1 if fact["digits"] else 0), (fact, expected)


def check_fact(fact: dict, resolve, apply) -> None:
    """A fact against its source: a number rounded half up; a difference (``minus``) equal to the
    difference of its two operands as they print (83.3 − 39.9 = 43.4)."""
    value = resolve(fact["src"])
    assert value is not None, fact
    if not fact.get("minus"):
        check_fact_text(fact, apply(value, fact["transform"]))
        return
    parts = fact["transform"].split("+")
    operand = "pct" if "pct" in parts else ""
    digits = fact["digits"]
    diff = half_up(apply(value, operand), digits) - half_up(apply(resolve(fact["minus"]), operand), digits)
    if "abs" in parts:
        diff = abs(diff)
    assert Decimal(fact["text"].replace(",", "")) == diff, (fact, diff)
