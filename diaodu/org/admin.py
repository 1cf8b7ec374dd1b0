from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from diaodu.core.admin import ConfigAdmin
from diaodu.org.models import Department, PeerGroup, Profile, Region

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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class DiaoduUserAdmin(ConfigAdmin, UserAdmin):
    pass
