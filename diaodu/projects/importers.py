"""Import and export of the project ledger through the one mechanism (``diaodu.ingest.ledgers``).

Files: 重点项目 (one row per project, keyed by 统一项目代码) and 项目月度进展 (one row per
project and month, keyed by 统一项目代码 + 年度 + 月份). Every row is checked before anything is
written; a county may import only its own projects and their progress.
"""

from __future__ import annotations

from pathlib import Path

from diaodu.ingest.exports import write_table
from diaodu.ingest.ledgers import Field, LedgerImporter
from diaodu.ingest.tabular import RowProblems, cell_text
from diaodu.org import scopes
from diaodu.projects import actions
from diaodu.projects.models import (
    Category,
    Industry,
    Obstacle,
    ProgressReport,
    Project,
    Stage,
    StartBatch,
    StatsStatus,
)


def _money(name, label, **kw):
    return Field(name, label, "number", min_value=0, **kw)


class ProjectImporter(LedgerImporter):
    kind = "projects"
    title = "重点项目"
    model = Project
    key_field = "code"
    fields = (
        Field("code", "统一项目代码", required=True, aliases=("项目代码",)),
        Field("name", "项目名称", required=True),
        Field("region", "所属县区", "region"),
        Field("department", "责任部门", "department"),
        Field("category", "项目类别", "choice", required=True, choices=tuple(Category.choices)),
        Field("industry", "行业领域", "choice", choices=tuple(Industry.choices)),
        Field("leader", "包抓领导"),
        Field("responsible", "责任人"),
        _money("total_investment", "计划总投资（亿元）", required=True),
        _money("annual_plan", "本年计划投资（亿元）"),
        _money("fund_central", "中央预算内投资（亿元）"),
        _money("fund_provincial", "省预算内投资（亿元）"),
        _money("bond_amount", "专项债券（亿元）"),
        _money("bond_spent", "专项债券已支出（亿元）"),
        _money("fund_self", "自筹资金（亿元）"),
        _money("fund_loan", "银行贷款（亿元）"),
        Field("stage", "建设阶段", "choice", required=True, choices=tuple(Stage.choices)),
        Field("planned_start", "计划开工日期", "date"),
        Field("actual_start", "实际开工日期", "date"),
        Field("batch", "集中开工批次", "batch"),
        Field("obstacle", "制约因素", "choice", choices=tuple(Obstacle.choices)),
        Field("obstacle_note", "制约情况说明"),
        Field("help_requested", "需协调解决事项"),
        Field("stats_status", "入库纳统状态", "choice", choices=tuple(StatsStatus.choices)),
        Field("stats_deadline", "入库办理期限", "date"),
        Field("note", "备注"),
    )

    def __init__(self, user, **options):
        super().__init__(user, **options)
        self.batches = {b.name: b for b in StartBatch.objects.all()}

    def convert(self, field, raw):
        if field.kind == "batch":
            text = cell_text(raw)
            if not text:
                return None
            if text not in self.batches:
                raise ValueError(f"未知的集中开工批次“{text}”（先在配置中建立批次）")
            return self.batches[text]
        value = super().convert(field, raw)
        if field.kind == "choice" and value == "" and field.name in ("industry", "stats_status"):
            return {"industry": Industry.OTHER, "stats_status": StatsStatus.NOT_ENTERED}[field.name]
        if field.kind == "number" and value is None:
            return self.to_model_number(field, 0.0)
        return value

    def validate(self, values):
        problems = []
        if values.get("region") is None and values.get("department") is None:
            problems.append(("region", "所属县区和责任部门至少填写一项"))
        if (values.get("bond_spent") or 0) > (values.get("bond_amount") or 0):
            problems.append(("bond_spent", "专项债券已支出不能超过专项债券金额"))
        if values.get("stage") in (Stage.NEW, Stage.CONTINUING, Stage.COMPLETED) and not values.get("actual_start"):
            problems.append(("actual_start", "已开工的项目须填写实际开工日期"))
        if values.get("stage") in (Stage.PLANNING, Stage.PREPARING) and values.get("actual_start"):
            problems.append(("stage", "已填写实际开工日期的项目，阶段不能是谋划或前期"))
        return problems

    @classmethod
    def export_value(cls, field, value):
        if field.kind == "batch":
            return value.name if value is not None else None
        if field.kind == "choice" and value == "":
            return None
        return super().export_value(field, value)

    def save_new(self, values):
        return actions.create_project(self.user, Project(**values), reason=self.reason, source=self.source)


class ChildImporter(LedgerImporter):
    """Rows that belong to a parent ledger record, one per parent and month
    (progress reports, funds arrived); the owner is always the parent's."""

    parent_model = None
    parent_field = ""  # the child's FK to the parent
    parent_key = "code"  # the parent's natural key
    parent_label = ""

    def __init__(self, user, **options):
        super(LedgerImporter, self).__init__(user, **options)
        self.reason = options.get("reason") or "文件导入"
        self.source = options.get("source") or "import"
        self.parents = {getattr(p, self.parent_key): p for p in self.parent_model.objects.all()}
        self.existing = {
            (getattr(getattr(o, self.parent_field), self.parent_key), o.year, o.month): o
            for o in self.model.objects.select_related(self.parent_field)
        }

    def convert(self, field, raw):
        if field.kind == "parent":
            text = cell_text(raw)
            if not text:
                raise ValueError(f"{field.label}不能为空")
            if text not in self.parents:
                raise ValueError(f"{self.parent_label}中没有{field.label}“{text}”")
            return self.parents[text]
        return super().convert(field, raw)

    def bind_row(self, cells):
        problems, values = [], {}
        for field in self.fields:
            try:
                values[field.name] = self.convert(field, cells.get(field.name))
            except ValueError as exc:
                problems.append((field.name, str(exc)))
        if not problems:
            if not 1 <= values["month"] <= 12:
                problems.append(("month", "月份应在 1 到 12 之间"))
            problems += self.validate(values)
        parent = values.get(self.parent_field)
        if not problems and not scopes.can_write_ledger(self.user, parent.region_id, parent.department_id):
            problems.append((self.parent_field, f"无权修改“{parent.name}”：只能导入本单位的台账"))
        if problems:
            raise RowProblems(problems)
        return values

    def key_of(self, record):
        return (getattr(record[self.parent_field], self.parent_key), record["year"], record["month"])

    def write(self, records, *, dry_run):
        summary = type("Summary", (), {"created": 0, "updated": 0, "unchanged": 0})()
        for values in records:
            obj = self.existing.get(self.key_of(values))
            if obj is None:
                summary.created += 1
                if not dry_run:
                    self.save_row(values)
            elif any(getattr(obj, k) != v for k, v in values.items()):
                summary.updated += 1
                if not dry_run:
                    self.save_row(values)
            else:
                summary.unchanged += 1
        return summary

    def save_row(self, values):
        raise NotImplementedError

    @classmethod
    def export_value(cls, field, value):
        if field.kind == "parent":
            return getattr(value, cls.parent_key)
        return super().export_value(field, value)

    @classmethod
    def export(cls, path: str | Path, queryset=None) -> int:
        qs = queryset if queryset is not None else cls.model.objects.all()
        rows = ([cls.export_value(f, getattr(obj, f.name)) for f in cls.fields]
                for obj in qs.select_related(cls.parent_field)
                .order_by(f"{cls.parent_field}__{cls.parent_key}", "year", "month"))
        return write_table(Path(path), [f.label for f in cls.fields], rows, cls.title)


class ProgressImporter(ChildImporter):
    kind = "project-progress"
    title = "项目月度进展"
    model = ProgressReport
    parent_model = Project
    parent_field = "project"
    parent_label = "重点项目台账"
    fields = (
        Field("project", "统一项目代码", "parent", required=True, aliases=("项目代码",)),
        Field("year", "年度", "int", required=True, min_value=2000, max_value=2100),
        Field("month", "月份", "int", required=True),
        _money("completed_month", "本月完成投资（亿元）", required=True),
        _money("completed_ytd", "本年累计完成投资（亿元）", required=True),
        Field("physical_progress", "实物工程量"),
    )

    def validate(self, values):
        if values["completed_ytd"] < values["completed_month"]:
            return [("completed_ytd", "本年累计完成投资不能小于本月完成投资")]
        return []

    def save_row(self, values):
        actions.report_progress(self.user, values["project"], values["year"], values["month"],
                                values["completed_month"], completed_ytd=values["completed_ytd"],
                                physical_progress=values["physical_progress"], reason=self.reason,
                                source=self.source)


def export_projects(path, period=None, year=None) -> int:
    return ProjectImporter.export(path)


def export_progress(path, period=None, year=None) -> int:
    qs = ProgressReport.objects.all()
    if year:
        qs = qs.filter(year=year)
    elif period is not None:
        qs = qs.filter(year=period.year, month__lte=period.month)
    return ProgressImporter.export(path, qs)
