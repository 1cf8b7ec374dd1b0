"""A document as its writers build it: blocks (title, headings, paragraphs, tables) and its facts.

The same :class:`Doc` renders to GB/T 9704 .docx (:mod:`.gbt9704`), to .xlsx (its tables,
:mod:`.xlsx`) and to plain text, so what the meeting reads on paper and in Excel is one thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .facts import Facts
from .issuance import Issuance

FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


def unquoted(title: str) -> str:
    """A task's title inside “ ”: its own double quotes become single ones (no nested “ ”)."""
    return title.replace("“", "‘").replace("”", "’").replace('"', "").strip()


@dataclass
class Cell:
    text: str
    value: float | str | None = None  # what .xlsx stores (numbers as numbers)
    digits: int | None = None
    fill: str = ""  # green / yellow / red


@dataclass
class Column:
    label: str
    group: str = ""  # two-level header: the merged cell above (an indicator name)
    width: float = 20.0  # mm in .docx; .xlsx uses width / 2.2 characters
    digits: int | None = None


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    sheet: str = ""  # .xlsx sheet name
    subtitle: str = ""  # 单位、期别
    note: str = ""  # 注：…
    xlsx_title: str = ""  # the title row of the .xlsx sheet (the import reads its period)

    @property
    def two_level(self) -> bool:
        return any(c.group for c in self.columns)


@dataclass
class Block:
    kind: str  # title, subtitle, h1, h2, h3, h4, p, table, note, signature, date
    text: str = ""
    table: Table | None = None


@dataclass
class Doc:
    name: str  # file stem, e.g. 经济运行情况通报_2021-09
    title: str
    blocks: list[Block] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    issuance: Issuance | None = None  # 主送机关, 署名, 成文日期, 版记 (and 版头) of a 通报 that is issued

    def add(self, kind: str, text: str = "") -> None:
        self.blocks.append(Block(kind, text))

    def p(self, text: str) -> None:
        self.blocks.append(Block("p", text))

    def add_table(self, table: Table) -> None:
        self.blocks.append(Block("table", table=table))

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.kind == "table"]

    def text(self) -> str:
        """Plain text: headings and paragraphs, tables as tab-separated lines."""
        lines = []
        issued = self.issuance
        for b in self.blocks:
            if b.kind == "table":
                t = b.table
                lines.append(t.title)
                lines.append("\t".join(c.label if not c.group else f"{c.group}{c.label}" for c in t.columns))
                lines += ["\t".join(cell.text for cell in row) for row in t.rows]
                if t.note:
                    lines.append(t.note)
            else:
                lines.append(b.text)
            if issued and b.kind == "title":
                lines += ["", issued.recipients + "："]
        if issued:
            lines += ["", issued.issuer, issued.date_text, ""]
            if issued.cc:
                lines.append(f"抄送：{issued.cc}。")
            lines.append(f"{issued.issuer}\t{issued.date_text}印发")
        return "\n".join(lines) + "\n"
