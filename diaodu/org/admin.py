from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from diaodu.core.admin import ConfigAdmin
from diaodu.org import scopes
from diaodu.org.models import Department, PeerGroup, Profile, Region, Role

admin.site.site_header = "调度 · 配置"
admin.site.site_title = "调度配置"
admin.site.index_title = "配置（目录、区划、部门、用户）"


@admin.register(Region)
class RegionAdmin(ConfigAdmin):
    list_display = ("code", "name", "short_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(ConfigAdmin):
    list_display = ("code", "name", "full_name", "region")
    search_fields = ("code", "name", "full_name")


@admin.register(PeerGroup)
class PeerGroupAdmin(ConfigAdmin):
    list_display = ("code", "name")
    filter_horizontal = ("members",)


@admin.register(Profile)
class ProfileAdmin(ConfigAdmin):
    list_display = ("user", "region", "department", "roles")
    list_select_related = ("user", "region", "department")

    def get_form(self, request, obj=None, **kwargs):
        """Refuse a role change that breaks the separation of duties (scopes.role_change_problem)."""
        base = super().get_form(request, obj, **kwargs)

        class SeparatedDuties(base):
            def clean(self):
                data = super().clean()
                user = data.get("user") or (self.instance.user if self.instance.user_id else None)
                problem = scopes.role_change_problem(request.user, user, data.get("roles"))
                if problem:
                    raise ValidationError(problem)
                return data

        return SeparatedDuties


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class DiaoduUserAdmin(ConfigAdmin, UserAdmin):
    def get_form(self, request, obj=None, **kwargs):
        """A superuser is a 管理员: not one who holds 审计员."""
        base = super().get_form(request, obj, **kwargs)
        if obj is None or "is_superuser" not in base.base_fields:
            return base

        class SeparatedDuties(base):
            def clean(self):
                data = super().clean()
                profile = Profile.objects.filter(user=obj).first()
                if data.get("is_superuser") and profile and Role.AUDITOR in (profile.roles or []):
                    raise ValidationError(scopes.SEPARATION_ADMIN_AUDITOR)
                return data

        return SeparatedDuties
