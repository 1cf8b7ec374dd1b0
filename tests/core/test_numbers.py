"""The one number formatter: half up on the decimal value, digits per unit, printed differences,
下降 in prose, ties together."""

from __future__ import annotations

from decimal import Decimal

import pytest

from diaodu.core import numbers


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (52.275, 2, "52.28"), (58.225, 2, "58.23"), (0.125, 2, "0.13"), (2.675, 2, "2.68"), (1.45, 1, "1.5"),
    (81.25, 1, "81.3"), (-6.85, 1, "-6.9"), (-0.04, 1, "0.0"), (-0.0, 2, "0.00"), (2.5, 0, "3"), (3, 2, "3.00"),
    (Decimal("369.495"), 2, "369.50"), ("1,234.5", 0, "1235"),
])
def test_text_rounds_half_up_on_the_decimal_value(value, digits, expected):
    assert numbers.text(value, digits) == expected


def test_binary_rounding_would_differ():
    # why the module exists: Python's float formatting rounds the binary value
    assert f"{52.275:.2f}" == "52.27" and numbers.text(52.275, 2) == "52.28"


def test_digits_per_unit_and_thousands_for_yuan():
    assert [numbers.digits_for(u) for u in ("亿元", "%", "元", "万元", "个百分点", "位")] == [2, 1, 0, 0, 1, 0]
    assert numbers.text(540, unit="亿元") == "540.00" and numbers.text(34.8, unit="亿元") == "34.80"
    assert numbers.text(41234.5, unit="元") == "41,235" and numbers.text(41234.5, unit="万元") == "41235"
    assert numbers.text(10.0, 1, trim=True) == "10" and numbers.text(7.5, 1, trim=True) == "7.5"
    assert numbers.text(None, 2) == "—" and numbers.number(None, 1) is None
    assert numbers.number(81.25, 1) == 81.3 and numbers.number(12.5, 0) == 13 and isinstance(numbers.number(1, 0), int)


def test_difference_is_of_the_printed_numbers():
    # 83.34 and 39.94 print as 83.3 and 39.9: the gap a reader checks is 43.4 (83.34 − 39.94 = 43.40 → 43.4 too,
    # but 83.26 − 39.94 = 43.32 → 43.3 while the printed 83.3 − 39.9 = 43.4)
    assert numbers.difference(83.26, 39.94, 1) == Decimal("43.4")
    assert numbers.text(numbers.difference(83.26, 39.94, 1), 1) == "43.4"
    assert numbers.difference(None, 1, 1) is None


def test_growth_prose_says_xiajiang():
    assert numbers.growth(5.24) == "增长5.2%" and numbers.growth(-6.94) == "下降6.9%"
    assert numbers.growth(-0.04) == "持平" and numbers.growth(None) == "—"
    assert numbers.growth(-1.25, up="高于", down="低于", unit="个百分点") == "低于1.3个百分点"
    assert numbers.growth(2, 0, up="前移", down="后退", unit="位") == "前移2位"


def test_ties_are_named_together():
    rates = {"武都区": 14.04, "西和县": 11.96, "徽县": 12.04, "成县": 13.0}
    top, bottom = numbers.extremes(rates, rates.get, 1)
    assert top == ["武都区"] and bottom == ["西和县", "徽县"]  # both print 12.0
    assert numbers.ties(["a", "b"], {"a": None, "b": 1}.get, 1) == [["b"]]
    assert numbers.extremes([], len, 1) == ([], [])
    assert numbers.joined(bottom) == "西和县、徽县"


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="不是数字"):
        numbers.text("abc", 1)
    assert numbers.text(float("nan"), 1) == "—"
