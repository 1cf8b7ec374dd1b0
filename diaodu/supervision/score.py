"""Precision and recall of the speech extractor on a hand-labelled corpus.

A corpus is a directory of speeches: ``NN_name.txt`` (header lines ``# 来源:``,
``# 日期:``, ``# 层级:``, then the text) and ``NN_name.labels`` (one instruction a
line: ``sentence snippet | lead units (、) | action snippet | deadline or -``).
See tests/supervision/speeches/README.md for how the labels are written.

A draft matches a label when the label's sentence snippet is in the draft's
sentence and its action snippet is in the draft's action; each label is matched
by one draft at most.  Units are compared as canonical subject names
(各县(市、区) → 各县区), so a corpus from another city is scored without that
city's catalogue.  Pure Python, no Django.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from diaodu.supervision.extract import DraftTask, UnitDictionary, extract_tasks

__all__ = ["CorpusError", "Label", "Score", "Speech", "draft_units", "load_corpus", "score_corpus"]


class CorpusError(ValueError):
    """A corpus file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Label:
    sentence: str
    units: tuple[str, ...]
    action: str
    deadline: datetime.date | None
    line: int


@dataclass
class Speech:
    name: str
    text: str
    date: datetime.date
    level: str
    source: str
    labels: list[Label]


@dataclass
class Score:
    speeches: int = 0
    labels: int = 0
    drafts: int = 0
    matched: int = 0
    unit_tp: int = 0
    unit_fp: int = 0
    unit_fn: int = 0
    deadlines_labelled: int = 0
    deadlines_right: int = 0
    deadlines_spurious: int = 0
    missed: list[tuple[str, Label]] = field(default_factory=list)
    unmatched_drafts: list[tuple[str, DraftTask]] = field(default_factory=list)
    wrong_units: list[tuple[str, Label, list[str]]] = field(default_factory=list)
    wrong_deadlines: list[tuple[str, Label, DraftTask | None]] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def action_precision(self) -> float:
        return self._ratio(self.matched, self.drafts)

    @property
    def action_recall(self) -> float:
        return self._ratio(self.matched, self.labels)

    @property
    def unit_precision(self) -> float:
        return self._ratio(self.unit_tp, self.unit_tp + self.unit_fp)

    @property
    def unit_recall(self) -> float:
        return self._ratio(self.unit_tp, self.unit_tp + self.unit_fn)

    @property
    def deadline_accuracy(self) -> float:
        return self._ratio(self.deadlines_right, self.deadlines_labelled)

    def table(self) -> list[str]:
        return [
            f"语料 {self.speeches} 篇，标注要求 {self.labels} 条，提取草稿 {self.drafts} 条，对上 {self.matched} 条",
            f"{'':8}{'准确率':>8}{'召回率':>8}",
            f"{'责任单位':8}{self.unit_precision:>9.1%}{self.unit_recall:>9.1%}",
            f"{'交办事项':8}{self.action_precision:>9.1%}{self.action_recall:>9.1%}",
            f"期限：标注有期限的 {self.deadlines_labelled} 条中对 {self.deadlines_right} 条"
            f"（{self.deadline_accuracy:.1%}）；无期限却读出日期 {self.deadlines_spurious} 条",
        ]


def _parse_header(path: Path, lines: list[str]) -> tuple[dict[str, str], str]:
    header: dict[str, str] = {}
    body_start = 0
    for i, line in enumerate(lines):
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
            body_start = i + 1
            continue
        break
    return header, "\n".join(lines[body_start:]).strip("\n") + "\n"


def _parse_labels(path: Path) -> list[Label]:
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4:
            raise CorpusError(f"{path.name} 第 {n} 行：应为 4 列（原句 | 牵头单位 | 事项 | 期限），实为 {len(parts)} 列")
        sentence, units, action, deadline = parts
        try:
            date = None if deadline in ("-", "") else datetime.date.fromisoformat(deadline)
        except ValueError:
            raise CorpusError(f"{path.name} 第 {n} 行第 4 列：期限 {deadline!r} 应为 YYYY-MM-DD 或 -") from None
        out.append(Label(sentence, tuple(u for u in units.split("、") if u), action, date, n))
    return out


def load_corpus(directory: str | Path) -> list[Speech]:
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"找不到语料目录：{directory}")
    speeches = []
    for txt in sorted(directory.glob("*.txt")):
        labels_path = txt.with_suffix(".labels")
        if not labels_path.exists():
            raise CorpusError(f"{txt.name} 缺少标注文件 {labels_path.name}")
        header, text = _parse_header(txt, txt.read_text(encoding="utf-8-sig").splitlines())
        try:
            date = datetime.date.fromisoformat(header.get("日期", ""))
        except ValueError:
            raise CorpusError(f"{txt.name} 文件头缺少“# 日期: YYYY-MM-DD”") from None
        labels = _parse_labels(labels_path)
        for label in labels:
            if label.sentence not in text:
                raise CorpusError(f"{labels_path.name} 第 {label.line} 行：原句片段 {label.sentence!r} 不在讲话稿中")
        speeches.append(Speech(txt.stem, text, date, header.get("层级", "city"), header.get("来源", ""), labels))
    if not speeches:
        raise CorpusError(f"语料目录 {directory} 中没有 .txt 讲话稿")
    return speeches


def draft_units(d: DraftTask) -> list[str]:
    """The draft's lead units as canonical subject names (what the labels hold)."""
    return list(dict.fromkeys(s.name for s in d.subjects))


def score_corpus(speeches: list[Speech], units_for=None) -> Score:
    """Run the extractor on every speech and compare with its labels.

    `units_for(speech)` gives the unit dictionary; by default an empty catalogue
    of the speech's level (another city's departments are not in ours).
    """
    score = Score()
    for sp in speeches:
        units = units_for(sp) if units_for else UnitDictionary([], [], level=sp.level)
        drafts = extract_tasks(sp.text, units, today=sp.date)
        score.speeches += 1
        score.labels += len(sp.labels)
        score.drafts += len(drafts)
        used: set[int] = set()
        for label in sp.labels:
            hit = next(
                (
                    (i, d)
                    for i, d in enumerate(drafts)
                    if i not in used and label.sentence in d.sentence and label.action in d.action
                ),
                None,
            )
            if label.deadline is not None:
                score.deadlines_labelled += 1
            if hit is None:
                score.missed.append((sp.name, label))
                score.unit_fn += len(label.units)
                if label.deadline is not None:
                    score.wrong_deadlines.append((sp.name, label, None))
                continue
            i, d = hit
            used.add(i)
            score.matched += 1
            got = set(draft_units(d))
            want = set(label.units)
            score.unit_tp += len(got & want)
            score.unit_fp += len(got - want)
            score.unit_fn += len(want - got)
            if got != want:
                score.wrong_units.append((sp.name, label, sorted(got)))
            date = d.deadline.date if d.deadline else None
            if label.deadline is not None:
                if date == label.deadline:
                    score.deadlines_right += 1
                else:
                    score.wrong_deadlines.append((sp.name, label, d))
            elif date is not None:
                score.deadlines_spurious += 1
                score.wrong_deadlines.append((sp.name, label, d))
        for i, d in enumerate(drafts):
            if i not in used:
                score.unmatched_drafts.append((sp.name, d))
                score.unit_fp += len(draft_units(d))
    return score
