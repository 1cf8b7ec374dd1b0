"""The projects app's ledgers: 重点项目 and their monthly progress reports."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.projects import actions, importers
from diaodu.projects.models import ProgressReport, Project

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
