"""Admin: read-only audit views. (``ConfigAdmin``, the base of configuration admins, is in
``diaodu.core.admin``.)"""

from __future__ import annotations

from django.contrib import admin

from diaodu.audit.models import ChangeRecord, LoginRecord
from diaodu.core.admin import ConfigAdmin  # noqa: F401  (its old home, for code written before the move)
from diaodu.org import scopes
from diaodu.org.models import Role


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
