"""The write path of the project ledgers: every view, import, admin and the demo call these.

They wrap ``diaodu.core.write_path`` (scope check, change record with before/after, optimistic
version) and add what is particular to projects: list membership (a many-to-many the generic
``update_record`` cannot set) and monthly progress, which always belongs to the project's owner.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from diaodu.audit.records import record_change
from diaodu.core import write_path
from diaodu.core.write_path import ConflictError  # noqa: F401  (re-exported for views)
from diaodu.org import scopes
from diaodu.projects.models import ProgressReport, Project

ZERO = Decimal("0")


def create_project(user, project: Project, *, lists=None, reason: str = "", source: str = "web") -> Project:
    with transaction.atomic():
        write_path.create_record(user, project, reason=reason, source=source)
        if lists:
            set_lists(user, project, lists, reason=reason, source=source)
    return project


def update_project(user, project: Project, changes: dict, *, lists=None, expected_version: int | None = None,
                   reason: str = "", source: str = "web") -> bool:
    """Apply field changes (and list membership when ``lists`` is given); True when anything changed."""
    with transaction.atomic():
        changed = write_path.update_record(user, project, changes, expected_version=expected_version,
                                        reason=reason, source=source)
        if lists is not None:
            changed = set_lists(user, project, lists, reason=reason, source=source) or changed
    return changed


def set_lists(user, project: Project, lists, *, reason: str = "", source: str = "web") -> bool:
    """Set the lists a project belongs to, recorded as a change of the project's ``lists``."""
    scopes.check_write_ledger(user, project.region_id, project.department_id)
    new = sorted({getattr(item, "pk", item) for item in lists})
    old = sorted(project.lists.values_list("pk", flat=True))
    if new == old:
        return False
    with transaction.atomic():
        project.lists.set(new)
        record_change(user, "update", project, before={"lists": old}, after={"lists": new},
                      reason=reason, source=source)
    return True


def report_progress(user, project: Project, year: int, month: int, completed_month, *,
                    completed_ytd=None, physical_progress: str = "", photo=None,
                    expected_version: int | None = None, reason: str = "", source: str = "web") -> ProgressReport:
    """Create or update the project's report for (year, month).

    Without ``completed_ytd`` the year-to-date figure is the previous month's report's
    plus this month's. The report is owned by the project's owner, so the scope check
    is the project's: a county reports its own projects only.
    """
    scopes.check_write_ledger(user, project.region_id, project.department_id)
    completed_month = Decimal(str(completed_month or 0))
    if completed_ytd is None:
        previous = (ProgressReport.objects.filter(project=project, year=year, month__lt=month)
                    .order_by("-month").values_list("completed_ytd", flat=True).first())
        completed_ytd = (previous or ZERO) + completed_month
    completed_ytd = Decimal(str(completed_ytd))
    existing = ProgressReport.objects.filter(project=project, year=year, month=month).first()
    with transaction.atomic():
        if existing is None:
            report = ProgressReport(project=project, year=year, month=month, region_id=project.region_id,
                                    department_id=project.department_id, responsible=project.responsible,
                                    completed_month=completed_month, completed_ytd=completed_ytd,
                                    physical_progress=physical_progress)
            if photo:
                report.photo = photo
            write_path.create_record(user, report, reason=reason, source=source)
            return report
        changes = {"completed_month": completed_month, "completed_ytd": completed_ytd,
                   "physical_progress": physical_progress}
        if photo:
            changes["photo"] = photo
        write_path.update_record(user, existing, changes, expected_version=expected_version,
                              reason=reason, source=source)
        return existing
