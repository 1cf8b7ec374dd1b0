"""Import and export of the project ledger through the one mechanism (``diaodu.ingest.ledgers``).

Files: 重点项目 (one row per project, keyed by 统一项目代码), 项目月度进展 (one row per
project and month, keyed by 统一项目代码 + 年度 + 月份), 储备项目 (by 储备编号), 重大基础设施前期项目
(by 编号) and their 前期工作节点 (by 项目编号 + 节点). Every row is checked before anything is
written; a county may import only its own projects and their progress.
"""

from __future__ import annotations

from diaodu.ingest.ledgers import (
    ChildImporter,
    CompositeKeyImporter,
    Field,
    LedgerImporter,
    ModelCheckedImporter,
)
from diaodu.ingest.tabular import cell_text
from diaodu.projects import actions
from diaodu.projects.models import (
    Category,
    FundingSource,
    Industry,
    InfraKind,
    InfraProject,
    Milestone,
    Obstacle,
    ProgressReport,
    Project,
    ReserveProject,
    ReserveStatus,
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


class ProgressImporter(ChildImporter):
    kind = "projects-progress"
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


class ReserveImporter(ModelCheckedImporter):
    kind = "reserve-projects"
    title = "储备项目"
    model = ReserveProject
    key_field = "code"
    fields = (
        Field("code", "储备编号", required=True),
        Field("name", "项目名称", required=True),
        Field("region", "所属县区", "region"),
        Field("department", "责任部门", "department"),
        Field("industry", "行业领域", "choice", required=True, choices=tuple(Industry.choices)),
        Field("stage", "阶段", "choice", required=True, choices=((Stage.PLANNING, "谋划"), (Stage.PREPARING, "前期"))),
        Field("target_year", "计划实施年度", "int", required=True, min_value=2000, max_value=2100),
        _money("total_investment", "估算总投资（亿元）", required=True),
        Field("funding_source", "争取资金渠道", "choice", required=True, choices=tuple(FundingSource.choices)),
        _money("funding_sought", "拟争取资金（亿元）", required=True),
        Field("status", "争取状态", "choice", required=True, choices=tuple(ReserveStatus.choices)),
        Field("submitted_upward", "列入上报清单", "bool"),
        Field("responsible", "责任人"),
        Field("note", "备注"),
    )


class InfraImporter(ModelCheckedImporter):
    kind = "infra-projects"
    title = "重大基础设施前期项目"
    model = InfraProject
    key_field = "code"
    fields = (
        Field("code", "编号", required=True, aliases=("项目编号",)),
        Field("name", "项目名称", required=True),
        Field("kind", "类型", "choice", required=True, choices=tuple(InfraKind.choices)),
        Field("region", "所属县区", "region"),
        Field("department", "责任部门", "department"),
        _money("total_investment", "估算总投资（亿元）", required=True),
        Field("current_phase", "当前前期工作"),
        Field("target_start", "争取开工时间", "date"),
        Field("responsible", "责任人"),
        Field("note", "备注"),
    )


class MilestoneImporter(CompositeKeyImporter):
    """前期工作节点, keyed by the project's 编号 and the node's name; a node belongs to its project's
    owner, so the project's scope decides who imports it."""

    kind = "infra-milestones"
    title = "前期工作节点"
    model = Milestone
    key_fields = ("project", "name")
    export_order = ("project__code", "planned_date")
    fields = (
        Field("project", "项目编号", "infra", required=True, aliases=("编号",)),
        Field("name", "节点", required=True),
        Field("planned_date", "计划完成", "date", required=True),
        Field("done_date", "实际完成", "date"),
    )

    def __init__(self, user, **options):
        super().__init__(user, **options)
        self.projects = {p.code: p for p in InfraProject.objects.all()}

    def object_key(self, obj) -> tuple:
        return (obj.project_id, obj.name)

    def convert(self, field, raw):
        if field.kind == "infra":
            text = cell_text(raw)
            if text not in self.projects:
                raise ValueError(f"重大基础设施前期项目台账中没有编号“{text}”")
            return self.projects[text]
        return super().convert(field, raw)

    def validate(self, values):
        project = values["project"]  # the node takes its project's owner
        values["region"], values["department"] = project.region, project.department
        return super().validate(values)

    @classmethod
    def export_value(cls, field, value):
        if field.kind == "infra":
            return value.code
        return super().export_value(field, value)
