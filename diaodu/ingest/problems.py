"""The one error shape of every import: sheet, row, column, reason (in Chinese)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_MESSAGE = 300


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __post_init__(self) -> None:
        # A message quotes the offending cell; a cell can hold megabytes.
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", self.message[:MAX_MESSAGE] + "…")

    def __str__(self) -> str:
        where = [f"工作表“{self.sheet}”"]
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列“{self.column}”")
        return " ".join(where) + f"：{self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "text": str(self)}


class IngestError(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems[:20]))
