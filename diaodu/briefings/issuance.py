"""The 公文 elements of a 通报 the 市政府办公室 issues (GB/T 9704-2012): 主送机关, 发文机关署名,
成文日期, 版记 (抄送机关, 印发机关, 印发日期) and, when configured, the 版头 (发文机关标志, 发文字号).

Read from the environment when a document is written (so a deployment names its own office):

- ``DIAODU_BRIEF_ISSUER`` — 发文机关署名 and 印发机关 (default: 本市 + 人民政府办公室, 陇南市人民政府办公室)
- ``DIAODU_BRIEF_RECIPIENTS`` — 主送机关 (default: 各县区人民政府，市政府各部门)
- ``DIAODU_BRIEF_CC`` — 抄送机关 (default: 市委办公室，市人大常委会办公室，市政协办公室; empty: no 抄送 line)
- ``DIAODU_BRIEF_MASTHEAD`` — 发文机关标志 for a 版头 (e.g. 陇南市人民政府办公室文件; empty: no 版头)
- ``DIAODU_BRIEF_NUMBER`` — 发文字号 under it (e.g. 陇政办发〔2021〕12号; ``{year}`` is replaced)

成文日期 and 印发日期: a period's document is dated the 15th of the month after the period (the
monthly dispatch meeting's usual date), whenever it is printed, so a past period's pack
regenerates unchanged; ``diaodu brief … --date YYYY-MM-DD`` dates it otherwise. The 督查通报 (no
period) is dated today (``SupervisionSettings.today()``, which ``DIAODU_TODAY`` fixes). Dates are
written in Arabic numerals as the 2012 standard has it (2021年10月15日).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from diaodu.conf import env_str
from diaodu.engine.periods import Period


@dataclass
class Issuance:
    issuer: str
    recipients: str
    date: dt.date
    cc: str = ""
    masthead: str = ""
    number: str = ""

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)


def chinese_date(day: dt.date) -> str:
    """2021年10月31日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


MEETING_DAY = 15


def document_date(period: Period | None) -> dt.date:
    """The 成文日期 of a document for ``period`` (see the module's docstring)."""
    if period is None:
        from diaodu.supervision.models import SupervisionSettings

        return SupervisionSettings.today()
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    return dt.date(year, month, MEETING_DAY)


def issuance(period: Period | None, home_name: str, date: dt.date | None = None) -> Issuance:
    office = f"{home_name}人民政府办公室"
    cc = env_str("DIAODU_BRIEF_CC", "市委办公室，市人大常委会办公室，市政协办公室")
    day = date or document_date(period)
    return Issuance(issuer=env_str("DIAODU_BRIEF_ISSUER", office) or office,
                    recipients=env_str("DIAODU_BRIEF_RECIPIENTS", "各县区人民政府，市政府各部门"),
                    date=day, cc=cc.strip().rstrip("。"), masthead=env_str("DIAODU_BRIEF_MASTHEAD", "").strip(),
                    number=env_str("DIAODU_BRIEF_NUMBER", "").strip().replace("{year}", str(day.year)))
