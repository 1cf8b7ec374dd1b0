"""Numbers and periods as people type them: the one reader of a figure's cell and of a period,
used by the importers, the entry form, the views and the commands (an argparse ``type=``)."""

from __future__ import annotations

import datetime as dt
import math
import re


def cell_text(value) -> str:
    """A cell as text: None is "", 2021.0 is "2021"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_MISSING = {"", "-", "—", "--", "／", "/", "…", "null", "none", "nan"}


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(value, what: str) -> float | None:
    """A number from a cell: floats as they are; text with full-width digits, the full-width
    point ．, a trailing % or thousands separators is accepted; '' or '—' means absent.

    A comma (half or full width) is a thousands separator only between groups of exactly three
    digits (``1，234.5``); ``36，5`` or ``1，2345`` is a mistyped number, refused with the cell's
    text rather than read as 365 or 12345."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what}“{value}”不是数字")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise ValueError(f"{what}不是有效数字")
        return round(float(value), 6)
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise ValueError(f"{what}是日期“{value}”，应为数字")
    text = str(value).strip()
    if text.lower() in _MISSING:
        return None
    cleaned = text.translate(_FULLWIDTH).rstrip("%").strip()
    if "," in cleaned:
        if not _THOUSANDS.match(cleaned):
            raise ValueError(f"{what}“{text}”中的逗号不是千位分隔符（千位分隔符只能隔开三位数字，如 1,234.5），"
                             "请核对后改正")
        cleaned = cleaned.replace(",", "")
    if "_" in cleaned:  # float() would read 36_5 as 365
        raise ValueError(f"{what}“{text}”不是数字")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"{what}“{text}”不是数字")
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{what}“{text}”不是有效数字")
    return round(number, 6)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋，％", "0123456789.-+,%")


# --- periods as people write them ---------------------------------------------

PERIOD_FORMS = "2021-09、2021年9月、2021年1-9月、2021.09、2021/9、2021年前三季度，或“1-9月”另填年度列"
_PERIOD_WORDS = {"一季度": 3, "第一季度": 3, "上半年": 6, "前三季度": 9, "全年": 12}
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-./]|年)\s*(?:1\s*[-~至到]\s*)?(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_YEAR_WORDS = re.compile(r"^(\d{4})\s*年?\s*(" + "|".join(_PERIOD_WORDS) + r")$")
_MONTHS_ONLY = re.compile(r"^(?:1\s*[-~至到]\s*)?(\d{1,2})\s*月$")
_WORDS_ONLY = re.compile(r"^(" + "|".join(_PERIOD_WORDS) + r")$")


def parse_period(cell, year=None):
    """The one reader of a period as people write it: ``2021-09``, ``2021年9月``, ``2021年1-9月``,
    ``2021.09``, ``2021/9``, ``202109``, ``2021年前三季度``, an Excel date, or ``1-9月`` / ``前三季度``
    with ``year`` (a 年度 column). Raises ``PeriodError`` naming the accepted forms otherwise.
    (A period is the month of a cumulative figure: 1-9月 is 9.)"""
    from diaodu.engine.periods import Period, PeriodError

    if isinstance(cell, (dt.date, dt.datetime)):
        return Period(cell.year, cell.month)
    if isinstance(cell, float) and not cell.is_integer():
        text = repr(cell)
        if len(text.split(".")[1]) == 1:  # Excel stored 2021.10 as the number 2021.1
            raise PeriodError(f"期别“{text}”有歧义（单元格是数字，2021.10 会被存成 2021.1），"
                              f"请写成文本，可用的写法：{PERIOD_FORMS}")
    text = cell_text(cell).translate(_FULLWIDTH).replace("－", "-").replace("—", "-").replace("～", "~").strip()
    if not text:
        raise PeriodError("期别为空")
    match = _YEAR_MONTH.match(text) or _COMPACT.match(text)
    if match:
        y, m = int(match.group(1)), int(match.group(2))
    elif (match := _YEAR_WORDS.match(text)):
        y, m = int(match.group(1)), _PERIOD_WORDS[match.group(2)]
    elif (match := _MONTHS_ONLY.match(text) or _WORDS_ONLY.match(text)):
        word = match.group(1)
        m = _PERIOD_WORDS[word] if word in _PERIOD_WORDS else int(word)
        y = _year_of(year)
        if y is None:
            raise PeriodError(f"期别“{text}”没有年份：请另填年度列，或写成 2021年{text}")
    else:
        raise PeriodError(f"期别“{text}”格式不对，可用的写法：{PERIOD_FORMS}")
    if not 1 <= m <= 12:
        raise PeriodError(f"期别“{text}”格式不对：月份 {m} 超出 1–12")
    period = Period(y, m)
    given = _year_of(year)
    if given is not None and given != period.year:
        raise PeriodError(f"期别“{text}”的年份与年度列 {given} 不一致")
    return period


def _year_of(cell) -> int | None:
    text = cell_text(cell).translate(_FULLWIDTH).rstrip("年").strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def period_type(text: str):
    """``parse_period`` for argparse (``type=period_type``): a bad period is a usage error in Chinese."""
    import argparse

    from diaodu.engine.periods import PeriodError

    try:
        return parse_period(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc))


