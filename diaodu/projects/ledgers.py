"""The projects app's ledgers: 重点项目 and their monthly progress reports, 储备项目, and the major
infrastructure projects in 前期工作 with their milestones."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.projects import actions, importers
from diaodu.projects.models import InfraProject, Milestone, ProgressReport, Project, ReserveProject

register(LedgerSpec(
    "projects", "重点项目", Project, importers.ProjectImporter, importers.export_projects,
    key_fields=("code",), page="projects:list", api=True,
    list_columns=("code", "name", "owner", "category", "stage", "total_investment", "annual_plan"), filters=("category", "stage"),
    create=actions.create_project, update=actions.update_project,
))
register(LedgerSpec(
    "projects-progress", "项目月度进展", ProgressReport, importers.ProgressImporter, importers.export_progress,
    key_fields=("project", "year", "month"), parent="projects",
    list_columns=("project", "year", "month", "completed_month", "completed_ytd"),
), aliases=("project-progress",))
register(LedgerSpec(
    "reserve-projects", "储备项目", ReserveProject, importers.ReserveImporter, key_fields=("code",),
    page="projects:reserve", filters=("target_year", "status", "submitted_upward"),
    list_columns=("code", "name", "owner", "target_year", "total_investment", "funding_sought", "status"),
))
register(LedgerSpec(
    "infra-projects", "重大基础设施前期项目", InfraProject, importers.InfraImporter, key_fields=("code",),
    page="projects:reserve", filters=("kind",),
    list_columns=("code", "name", "kind", "owner", "total_investment", "current_phase", "target_start"),
))
register(LedgerSpec(
    "infra-milestones", "前期工作节点", Milestone, importers.MilestoneImporter, key_fields=("project", "name"),
    parent="infra-projects", list_columns=("project", "name", "planned_date", "done_date"),
))
