"""统一社会信用代码 (GB 32100-2015) and GB/T 4754 industry codes."""

from __future__ import annotations

import pytest

from diaodu.enterprises.codes import (
    CHARSET,
    credit_check_char,
    credit_code_problem,
    industry_code_problem,
    is_valid_credit_code,
    make_credit_code,
    org_check_char,
)

# Computed with the algorithm (make_credit_code), plus three published codes whose
# check characters the algorithm reproduces.
VALID = [
    make_credit_code("621202", "MA710001"),
    make_credit_code("621221", "MA7ABC12"),
    make_credit_code("621228", "12345678", department="5", category="2"),
    "91350100M000100Y43",
    "9144030071526726XG",
    "91330100716105852F",
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)


def test_weights_are_powers_of_three_mod_31():
    from diaodu.enterprises.codes import WEIGHTS

    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_check_character_by_hand():
    # Σ C_i·W_i for 91350100M000100Y4: the check is 31 - (Σ mod 31)
    first17 = "91350100M000100Y4"
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8,
                                                                  24, 10, 30, 28), strict=True))
    assert CHARSET[(31 - total % 31) % 31] == credit_check_char(first17) == "3"


def test_organisation_code_check():
    assert org_check_char("71526726") == "X"  # 71526726-X
    assert org_check_char("M0001001")  # letters are allowed in new codes


@pytest.mark.parametrize("position", range(18))
def test_every_single_character_corruption_is_caught(position):
    code = VALID[0]
    for replacement in CHARSET:
        if replacement == code[position]:
            continue
        corrupted = code[:position] + replacement + code[position + 1:]
        if position in range(2, 8) and not replacement.isdigit():
            assert credit_code_problem(corrupted)  # region digits
            continue
        assert not is_valid_credit_code(corrupted), corrupted


def test_adjacent_transpositions_are_caught():
    code = VALID[1]
    for i in range(17):
        if code[i] == code[i + 1]:
            continue
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        assert not is_valid_credit_code(swapped), swapped


@pytest.mark.parametrize("code, fragment", [
    ("", "18位"),
    ("91621202MA71000", "18位"),
    ("91621202MA710001I0", "非法字符“I”"),
    ("91621202ma7100010x", "非法字符"),
    ("91621202MA71000O1X", "非法字符“O”"),
    ("91ABCDEFMA7100011X", "行政区划"),
])
def test_malformed_codes_say_why(code, fragment):
    assert fragment in credit_code_problem(code)


def test_wrong_check_names_the_right_one():
    code = VALID[0]
    wrong = "0" if code[-1] != "0" else "1"
    assert f"末位应为“{code[-1]}”" in credit_code_problem(code[:-1] + wrong)


@pytest.mark.parametrize("code, ok", [("C3011", True), ("3011", True), ("B09", True), ("D4413", True),
                                      ("Z3011", False), ("C30111", False), ("水泥", False), ("C3", False)])
def test_industry_codes(code, ok):
    assert (industry_code_problem(code) is None) is ok
