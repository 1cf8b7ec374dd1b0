"""Admin for the project ledgers: configuration (lists, batches) through ConfigAdmin; projects
through the same write path as the pages, their lists through the app's actions. The other
project ledgers (progress, reserve, infrastructure, milestones) get theirs from their specs
(``diaodu.core.admin.register_ledger_admins``)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from diaodu.core.admin import REGION_FILTER, ConfigAdmin, LedgerAdmin
from diaodu.org import scopes
from diaodu.projects import actions
from diaodu.projects.models import Project, ProjectList, StartBatch


@admin.register(ProjectList)
class ProjectListAdmin(ConfigAdmin):
    list_display = ("code", "name", "order")


@admin.register(StartBatch)
class StartBatchAdmin(ConfigAdmin):
    list_display = ("name", "date", "region")


@admin.register(Project)
class ProjectAdmin(LedgerAdmin):
    list_display = ("code", "name", "region", "category", "stage", "annual_plan", "stats_status")
    list_filter = (REGION_FILTER, "category", "stage", "stats_status", "obstacle")
    search_fields = ("code", "name", "leader")
    filter_horizontal = ("lists",)

    def save_related(self, request, form, formsets, change):
        # The lists go through the app's write path (scope, change record), not form.save_m2m().
        lists = form.cleaned_data.pop("lists", None) if "lists" in form.cleaned_data else None
        if lists is not None:
            try:
                actions.set_lists(request.user, form.instance, lists, reason="管理后台", source="admin")
            except scopes.ScopeError as exc:
                raise PermissionDenied(str(exc))
        for formset in formsets:
            self.save_formset(request, form, formset, change)
