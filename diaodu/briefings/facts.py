"""Every number a document prints, with where it comes from.

A writer never formats an engine figure by hand: it calls :meth:`Facts.num` with the row and
field of a ``diaodu.evaluation.compute`` result (a :class:`Src`). The fact records the text as
printed, the engine's value and how to fetch it again (function, arguments, row keys, field);
:func:`resolve` does that fetch, so a test (or ``diaodu brief … --json``) can check that every
number in a document is the engine's.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from diaodu.core import numbers
from diaodu.evaluation import compute


@dataclass(frozen=True)
class Src:
    """One field of one row of a compute result: ``compute.<fn>(**args)[path]`` → the row whose
    keys equal ``row`` → ``field``."""

    fn: str
    args: dict
    row: dict
    field: str
    path: str = ""
    ledger: str = ""  # for a ledger source: the ledger app's function behind ``fn``

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Fact:
    text: str
    value: float
    digits: int
    label: str
    src: dict
    transform: str = ""
    minus: dict | None = None  # a difference: the printed value of ``src`` less the printed value of ``minus``

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Facts:
    items: list[Fact] = field(default_factory=list)

    def num(self, row: dict, src: Src, digits: int | None = 1, *, unit: str | None = None, label: str = "",
            transform: str = "") -> str:
        """The text of ``row[src.field]`` as :func:`diaodu.core.numbers.text` prints it: ``digits``
        decimals (``None``: the unit's), half up, thousands separators for 元 (``transform='abs'``:
        its magnitude, for 下降/后退 sentences; ``'pct'``: a share as a percentage; ``'trim'``: a
        growth target without a zero fraction, 7.0 → 7), recorded as a fact."""
        value = row.get(src.field) if row else None
        if value is None:
            return numbers.NONE_TEXT
        if digits is None:
            digits = numbers.digits_for(unit)
        value = apply(value, transform)
        text = numbers.text(value, digits, unit=unit, trim="trim" in transform.split("+"))
        self.items.append(Fact(text, value, digits, label, src.to_dict(), transform))
        return text

    def diff(self, row: dict, src, a: str, b: str, digits: int = 1, *, label: str = "",
             transform: str = "") -> tuple[str, Decimal | None]:
        """A difference as a reader checks it: ``row[a] − row[b]`` from the two numbers rounded as
        they print (83.3 − 39.9 is 43.4, whatever the unrounded values give); ``src`` maps a field to
        its :class:`Src`. ``transform``: ``pct`` applies to both operands, ``abs`` to the result.
        Returns (text, the signed difference) so the sentence can say 高于/低于 by the printed sign."""
        if not row or row.get(a) is None or row.get(b) is None:
            return numbers.NONE_TEXT, None
        operand = "+".join(t for t in transform.split("+") if t == "pct")
        value = numbers.difference(apply(row[a], operand), apply(row[b], operand), digits)
        shown = abs(value) if "abs" in transform.split("+") else value
        text = numbers.text(shown, digits)
        self.items.append(Fact(text, float(shown), digits, label, src(a).to_dict(), transform, src(b).to_dict()))
        return text, value

    def as_json(self) -> list[dict]:
        return [f.to_dict() for f in self.items]


def apply(value, transform: str) -> float:
    """A fact's printed value from its source value, in decimal arithmetic (0.4255 × 100 is 42.55,
    not 42.550000000000004): ``abs`` (magnitude), ``pct`` (a share as a percentage, 0.425 → 42.5),
    or both (``abs+pct``); ``trim`` only changes the text."""
    parts = set(transform.split("+")) if transform else set()
    number = numbers.decimal(value)
    if number is None:
        return value
    if "pct" in parts:
        number = number * 100
    if "abs" in parts:
        number = abs(number)
    return float(number)


def source_function(name: str):
    """``compute.<name>`` for engine facts; a ledger source by its dotted path
    (``diaodu.briefings.ledger_sources.project_counties``)."""
    if "." in name:
        module, _, attr = name.rpartition(".")
        if not module.startswith("diaodu."):
            raise LookupError(name)
        return getattr(importlib.import_module(module), attr)
    return getattr(compute, name)


def resolve(src: dict):
    """Fetch the engine's (or the ledger's) value a fact points at (the test of every number,
    and ``--json``)."""
    fn = source_function(src["fn"])
    result = fn(**src["args"])
    if src.get("path"):
        result = result[src["path"]]
    if isinstance(result, dict) and not src["row"]:
        return result.get(src["field"])
    for row in result:
        if all(row.get(k) == v for k, v in src["row"].items()):
            return row.get(src["field"])
    raise LookupError(f"no row {src['row']} in compute.{src['fn']}({src['args']})")


# Dates, titles and numbering are not engine figures: "2021年", "1-9月", "9月底", "10月15日", 《方案名》,
# a 督办事项's title in “ ” (its words as the office wrote them), 发文字号 "〔2021〕12号", heading "1." …
DATE_PATTERNS = [r"《[^》]*》", r"“[^”]*”", r"\d{1,2}月\d{1,2}日", r"〔\d{4}〕\d+号", r"\d{4}年", r"\d{1,2}\s*[-—~至]\s*\d{1,2}月", r"\d{1,2}月", r"^\s*\d+[.．](?!\d)",
                 r"（\d+）"]
NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")  # 41,235 is one number


def numbers_in(text: str) -> list[str]:
    """The numbers a reader sees in ``text``, dates and list numbering removed (and the word
    joiners the .docx holds periods together with: 1⁠-⁠10⁠月 is 1-10月)."""
    text = text.replace("\u2060", "")
    for pattern in DATE_PATTERNS:
        text = re.sub(pattern, " ", text)
    return NUMBER.findall(text)
