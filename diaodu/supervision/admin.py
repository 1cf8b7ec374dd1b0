from django.contrib import admin
from django.db import transaction

from diaodu.audit.records import record_change
from diaodu.core.admin import ConfigAdmin
from diaodu.org import scopes
from diaodu.org.ledgers import snapshot
from diaodu.supervision.models import SupervisionSettings


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(ConfigAdmin):
    """The office's thresholds and switches (one row); changes recorded like every configuration."""

    list_display = ["__str__", "blue_days", "yellow_points", "indicator_red_points", "indicator_tasks_enabled",
                    "clock_date"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SupervisionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # ConfigAdmin's snapshot keeps dates as objects, which a JSON change record cannot hold.
        scopes.check_configure(request.user)
        old = type(obj).objects.filter(pk=obj.pk).first() if change and obj.pk else None
        with transaction.atomic():
            if change:
                obj.version = (obj.version or 0) + 1
            obj.save()
            record_change(request.user, "update" if change else "create", obj,
                          before=snapshot(old) if old else None, after=snapshot(obj), reason="管理后台",
                          source="admin")
