from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from diaodu.core.admin import ConfigAdmin
from diaodu.org import scopes
from diaodu.org.models import Department, HomeCity, PeerGroup, Profile, Region, Role

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


class ProfileForm(forms.ModelForm):
    """Roles as checkboxes with their Chinese labels: a typed JSON list could name roles that do not exist."""

    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple,
                                      required=False)

    class Meta:
        model = Profile
        fields = ("user", "region", "department", "roles")

    def clean(self):
        data = super().clean()
        if data.get("region") and data.get("department"):
            raise forms.ValidationError("用户只能属于一个单位：政府或部门二选一。")
        if data.get("roles") and not (data.get("region") or data.get("department")):
            raise forms.ValidationError("请设置所属单位（政府或部门）：没有单位的角色不赋予任何权限。")
        return data


@admin.register(Profile)
class ProfileAdmin(ConfigAdmin):
    form = ProfileForm
    list_display = ("user", "region", "department", "role_names")
    list_select_related = ("user", "region", "department")

    @admin.display(description="角色")
    def role_names(self, obj):
        return "、".join(obj.role_labels()) or "—"

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


@admin.register(HomeCity)
class HomeCityAdmin(ConfigAdmin):
    list_display = ("region", "set_at")

    def has_add_permission(self, request):
        return False  # diaodu setup-city makes it, with the departments and peer groups

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
