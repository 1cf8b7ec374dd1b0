from django.contrib import admin
from django.core.exceptions import PermissionDenied

from diaodu.core.admin import ConfigAdmin
from diaodu.indicators import actions, validation
from diaodu.indicators.models import (
    Indicator,
    Observation,
    PeriodRelease,
    ReportingDeadline,
    Revision,
    Target,
    ValidationRule,
)
from diaodu.org import scopes


@admin.register(Indicator)
class IndicatorAdmin(ConfigAdmin):
    list_display = ("code", "name", "unit", "frequency", "kind", "price_basis", "polarity", "additive", "is_main")
    list_filter = ("frequency", "kind", "is_main")
    search_fields = ("code", "name")


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Figures in the admin go through the same write path and scope as pages and imports."""

    list_display = ("region", "indicator", "year", "month", "value", "growth", "status", "revision",
                    "published_value", "published_growth")
    list_filter = ("indicator", "year", "status")
    search_fields = ("region__name", "indicator__name")
    list_select_related = ("region", "indicator")
    fields = ("region", "indicator", "year", "month", "value", "growth", "note", "version")
    readonly_fields = ("region", "indicator", "year", "month", "version")
    inlines = [RevisionInline]

    def get_queryset(self, request):
        return scopes.restrict_observations(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return scopes.can_enter_figure(request.user, obj.region_id)

    def save_model(self, request, obj, form, change):
        if not scopes.can_enter_figure(request.user, obj.region_id):
            raise PermissionDenied
        old = Observation.objects.get(pk=obj.pk)
        row = actions.FigureInput(obj.region_id, obj.indicator.code, obj.year, obj.month, obj.value, obj.growth,
                                  obj.note or "")
        try:
            actions.submit_figures(request.user, [row], source="admin", reason="管理后台更正", accept_warnings=True,
                                   expected_versions={(old.region_id, old.indicator_id, old.year, old.month): old.version})
        except validation.RuleViolations as exc:  # a blocking rule: refused like any other write
            raise PermissionDenied(str(exc))


@admin.register(Target)
class TargetAdmin(ConfigAdmin):
    """Targets through their one write path (``actions.set_targets``: approvers and 管理员 of the
    region, a change record); a target's region, indicator and year are its key, fixed once set."""

    list_display = ("region", "indicator", "year", "total", "growth", "source")
    list_filter = ("year", "indicator", "source")
    list_select_related = ("region", "indicator")
    exclude = ("updated_by",)  # set by set_targets from who saves

    def get_readonly_fields(self, request, obj=None):
        return ("region", "indicator", "year", "version") if obj is not None else ("version",)

    def save_model(self, request, obj, form, change):
        row = actions.TargetInput(obj.region_id, obj.indicator.code, obj.year, obj.total, obj.growth, obj.source,
                                  obj.note)
        try:
            actions.set_targets(request.user, [row], source="admin", reason="管理后台")
        except scopes.ScopeError as exc:
            raise PermissionDenied(str(exc))
        saved = Target.objects.get(region_id=obj.region_id, indicator_id=obj.indicator_id, year=obj.year)
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(ValidationRule)
class ValidationRuleAdmin(ConfigAdmin):
    """审核规则: the statistics office's catalogue of checks (blocking or warning), editable here."""

    list_display = ("code", "name", "kind", "severity", "threshold", "active")
    list_filter = ("severity", "kind", "active")
    search_fields = ("code", "name")


@admin.register(PeriodRelease)
class PeriodReleaseAdmin(admin.ModelAdmin):
    """期别发布 records: read-only here; a release is made with 期别发布 or ``diaodu release``."""

    list_display = ("year", "month", "scope", "indicators", "released_by", "released_at")
    list_filter = ("scope", "year")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return scopes.can_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return scopes.can_configure(request.user)


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(ConfigAdmin):
    """报送日历: the day of the next month each kind of unit reports by."""

    list_display = ("unit_kind", "due_day", "note")
