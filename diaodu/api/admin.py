"""API tokens in 配置: 管理员 see every token and revoke them (recorded); creating one is the
command line's job (``diaodu api-token``), which can show the key once."""

from django.contrib import admin

from diaodu.api import tokens
from diaodu.api.models import ApiToken
from diaodu.org import scopes


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    list_filter = ("user",)
    search_fields = ("prefix", "name", "user__username")
    fields = ("prefix", "user", "name", "created_at", "last_used_at")
    readonly_fields = fields

    def has_module_permission(self, request):
        return scopes.can_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return scopes.can_configure(request.user)

    def delete_model(self, request, obj):
        tokens.revoke(request.user, obj, reason="管理后台吊销", source="admin")

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            self.delete_model(request, token)
