"""Admin of the enterprise ledger, and ``LedgerAdmin``: the admin base of every
owned ledger of these apps — permissions from the ledger scope, writes through
``diaodu.org.ledgers`` (scope check, change record, version)."""

from __future__ import annotations

from django.contrib import admin

from diaodu.enterprises.models import Enterprise, EnterpriseMonth
from diaodu.org import ledgers, scopes


class LedgerAdmin(admin.ModelAdmin):
    readonly_fields = ("version", "created_at", "updated_at")

    def has_module_permission(self, request):
        return scopes.can_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def has_add_permission(self, request):
        return scopes.can_configure(request.user)

    def has_change_permission(self, request, obj=None):
        if not scopes.can_configure(request.user):
            return False
        return obj is None or scopes.can_write_ledger(request.user, obj.region_id, obj.department_id)

    has_delete_permission = has_change_permission

    def save_model(self, request, obj, form, change):
        if not change:
            ledgers.create_record(request.user, obj, reason="管理后台", source="admin")
            return
        changes = {name: getattr(obj, name) for name in form.changed_data if hasattr(obj, name)}
        if changes:
            ledgers.update_record(request.user, obj, changes, reason="管理后台", source="admin")

    def delete_model(self, request, obj):
        ledgers.delete_record(request.user, obj, reason="管理后台", source="admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ChildAdminInline(admin.TabularInline):
    """Read-only inline of a ledger's child rows (they are written by import or page)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MonthInline(ChildAdminInline):
    model = EnterpriseMonth
    fields = ("year", "month", "revenue", "output")
    readonly_fields = fields


@admin.register(Enterprise)
class EnterpriseAdmin(LedgerAdmin):
    list_display = ("name", "credit_code", "region", "industry_code", "above_scale", "status", "cause",
                    "responsible")
    list_filter = ("region", "status", "above_scale", "cause")
    search_fields = ("name", "credit_code")
    inlines = [MonthInline]
