"""The projects app's ledgers: 重点项目 and their monthly progress reports."""

from diaodu.core.ledgers import LedgerSpec, register
from diaodu.projects import actions, importers
from diaodu.projects.models import ProgressReport, Project

register(LedgerSpec(
    "projects", "重点项目", Project, importers.ProjectImporter, importers.export_projects,
    key_fields=("code",), api=True, api_filters=("category", "stage"),
    api_create=actions.create_project, api_update=actions.update_project,
))
register(LedgerSpec(
    "projects-progress", "项目月度进展", ProgressReport, importers.ProgressImporter, importers.export_progress,
    key_fields=("project", "year", "month"), parent="projects",
), aliases=("project-progress",))
