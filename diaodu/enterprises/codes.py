"""Identity and classification codes of enterprises: pure functions, no Django.

统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set
(digits and capital letters without I, O, Z, S, V):

    position 1      登记管理部门码 (9 = 工商/市场监管, 5 = 民政, 1 = 机构编制 …)
    position 2      机构类别码 (1 = 企业, 2 = 个体工商户, 3 = 农民专业合作社 …)
    positions 3-8   登记管理机关行政区划码 (GB/T 2260)
    positions 9-17  主体标识码 (组织机构代码, GB 11714, with its own check character)
    position 18     校验码

The check character: with weights W_i = 3^(i-1) mod 31 (1, 3, 9, 27, 19, 26, 16, 17, 20, 29,
25, 13, 8, 24, 10, 30, 28) and C_i the value of character i in the set,
C_18 = 31 - (Σ C_i·W_i mod 31), where 31 becomes 0.
"""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code
ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def credit_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 from its first 17 (GB 32100)."""
    if len(first17) != 17:
        raise ValueError("需要前17位")
    total = 0
    for char, weight in zip(first17, WEIGHTS, strict=True):
        if char not in VALUES:
            raise ValueError(f"字符“{char}”不在统一社会信用代码字符集中")
        total += VALUES[char] * weight
    return CHARSET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The 9th character of a 组织机构代码 (GB 11714) from its first 8."""
    total = sum(ORG_CHARSET.index(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_problem(code: str) -> str | None:
    """Why a 统一社会信用代码 is invalid (one Chinese sentence), or None if valid.

    Checks the length, the character set, the region digits and the GB 32100 check
    character. The embedded organisation code's own check (GB 11714) is not enforced:
    codes issued to 个体工商户 and some institutions do not follow it.
    """
    code = (code or "").strip()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实为{len(code)}位"
    bad = [c for c in code if c not in VALUES]
    if bad:
        return f"统一社会信用代码含非法字符“{bad[0]}”（不使用 I、O、Z、S、V 和小写字母）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3-8位应为行政区划代码（6位数字）"
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：末位应为“{expected}”，实为“{code[17]}”"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def make_credit_code(region: str, serial: str, *, department: str = "9", category: str = "1") -> str:
    """A well-formed 统一社会信用代码 from a region code and an 8-character serial
    (the organisation code's body): both check characters are computed."""
    body = serial.upper()
    if len(body) != 8 or any(c not in VALUES for c in body):
        raise ValueError("主体标识码本体应为8位（字符集同统一社会信用代码）")
    first17 = f"{department}{category}{region}{body}{org_check_char(body)}"
    return first17 + credit_check_char(first17)


_INDUSTRY = re.compile(r"^[A-T]?\d{2,4}$")


def industry_code_problem(code: str) -> str | None:
    """GB/T 4754-2017: an optional 门类 letter (A-T) and a 2-4 digit 大类/中类/小类 code."""
    code = (code or "").strip()
    if not _INDUSTRY.match(code):
        return f"行业代码“{code}”应为 GB/T 4754 代码，如 C3011 或 3011"
    return None
