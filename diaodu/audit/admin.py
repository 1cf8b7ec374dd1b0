"""Admin: the base every configuration admin uses, and read-only audit views."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from diaodu.audit.models import ChangeRecord, LoginRecord
from diaodu.audit.records import record_change
from diaodu.org import scopes
from diaodu.org.models import Role


def _snapshot(obj) -> dict:
    from diaodu.org.ledgers import snapshot

    return {k: v for k, v in snapshot(obj).items() if k != "password"}


class ConfigAdmin(admin.ModelAdmin):
    """Configuration models: 管理员 only (scopes.can_configure), every save and
    delete recorded with before and after."""

    def has_module_permission(self, request):
        return scopes.can_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return scopes.can_configure(request.user) or scopes.scope_for(request.user).has(Role.AUDITOR)

    def has_add_permission(self, request):
        return scopes.can_configure(request.user)

    def has_change_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def has_delete_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def save_model(self, request, obj, form, change):
        scopes.check_configure(request.user)
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = _snapshot(old) if old else None
        with transaction.atomic():
            if hasattr(obj, "version") and change:
                obj.version = (obj.version or 0) + 1
            super().save_model(request, obj, form, change)
            record_change(request.user, "update" if change else "create", obj, before=before,
                          after=_snapshot(obj), reason="管理后台", source="admin")

    def delete_model(self, request, obj):
        scopes.check_configure(request.user)
        with transaction.atomic():
            record_change(request.user, "delete", obj, before=_snapshot(obj), reason="管理后台", source="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class AuditReadAdmin(admin.ModelAdmin):
    """Audit records: viewable by 审计员 only (also at /audit/), never changed or
    deleted — not even by 管理员 (separate admin and audit roles)."""

    def has_module_permission(self, request):
        return scopes.scope_for(request.user).has(Role.AUDITOR)

    has_view_permission = lambda self, request, obj=None: self.has_module_permission(request)  # noqa: E731

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(AuditReadAdmin):
    list_display = ("time", "username", "action", "object_type", "object_repr", "source", "reason")
    list_filter = ("action", "object_type", "source")
    search_fields = ("username", "object_repr", "reason")


@admin.register(LoginRecord)
class LoginRecordAdmin(AuditReadAdmin):
    list_display = ("time", "username", "event", "ip", "detail")
    list_filter = ("event",)
    search_fields = ("username",)
