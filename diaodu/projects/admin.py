"""Admin for the project ledgers: configuration (lists, batches) through ConfigAdmin; ledger
records through the same write path as the pages (scope, change record, version)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from diaodu.audit.admin import ConfigAdmin
from diaodu.org import ledgers, scopes
from diaodu.projects import actions
from diaodu.projects.models import (
    InfraProject,
    Milestone,
    ProgressReport,
    Project,
    ProjectList,
    ReserveProject,
    StartBatch,
)


class LedgerAdmin(admin.ModelAdmin):
    """A ledger record in the admin: visible to signed-in staff, changed only within the
    user's write scope, every save and delete through ``diaodu.org.ledgers``."""

    def has_module_permission(self, request):
        return request.user.is_staff and scopes.scope_for(request.user).is_authenticated

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return bool(scopes.scope_for(request.user).roles & {"enter", "approve", "admin"})

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return scopes.can_write_ledger(request.user, obj.region_id, obj.department_id)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                ledgers.create_record(request.user, obj, reason="管理后台", source="admin")
                return
            fields = [f for f in form.changed_data if f in {x.name for x in obj._meta.concrete_fields}]
            ledgers.update_record(request.user, obj, {f: getattr(obj, f) for f in fields}, reason="管理后台",
                                  source="admin")
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc))

    def save_related(self, request, form, formsets, change):
        lists = form.cleaned_data.pop("lists", None) if "lists" in form.cleaned_data else None
        if lists is not None:
            actions.set_lists(request.user, form.instance, lists, reason="管理后台", source="admin")
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        ledgers.delete_record(request.user, obj, reason="管理后台", source="admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ProjectList)
class ProjectListAdmin(ConfigAdmin):
    list_display = ("code", "name", "order")


@admin.register(StartBatch)
class StartBatchAdmin(ConfigAdmin):
    list_display = ("name", "date", "region")


@admin.register(Project)
class ProjectAdmin(LedgerAdmin):
    list_display = ("code", "name", "region", "category", "stage", "annual_plan", "stats_status")
    list_filter = ("region", "category", "stage", "stats_status", "obstacle")
    search_fields = ("code", "name", "leader")
    filter_horizontal = ("lists",)


@admin.register(ProgressReport)
class ProgressReportAdmin(LedgerAdmin):
    list_display = ("project", "year", "month", "completed_month", "completed_ytd")
    list_filter = ("year", "month", "region")
    raw_id_fields = ("project",)


@admin.register(ReserveProject)
class ReserveProjectAdmin(LedgerAdmin):
    list_display = ("code", "name", "region", "status", "submitted_upward")
    list_filter = ("region", "status", "submitted_upward")


@admin.register(InfraProject)
class InfraProjectAdmin(LedgerAdmin):
    list_display = ("code", "name", "kind", "current_phase")


@admin.register(Milestone)
class MilestoneAdmin(LedgerAdmin):
    list_display = ("project", "name", "planned_date", "done_date")
