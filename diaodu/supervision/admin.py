from django.contrib import admin
from django.db import transaction

from diaodu.audit.records import record_change
from diaodu.core.admin import ConfigAdmin
from diaodu.org import scopes
from diaodu.org.ledgers import snapshot
from diaodu.supervision.models import Notification, NotificationChannel, SupervisionSettings


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


@admin.register(NotificationChannel)
class NotificationChannelAdmin(ConfigAdmin):
    """E-mail and group-robot channels; the last failure shows in the list."""

    list_display = ["name", "kind", "enabled", "last_success_at", "last_failure_at", "last_error"]
    readonly_fields = ["last_success_at", "last_failure_at", "last_error"]

    @staticmethod
    def _snapshot(obj) -> dict:
        data = snapshot(obj)
        data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
        if data.get("secret"):
            data["secret"] = "（已设置）"  # the record shows that the secret changed, not the secret
        return data

    def save_model(self, request, obj, form, change):
        scopes.check_configure(request.user)
        old = type(obj).objects.filter(pk=obj.pk).first() if change and obj.pk else None
        with transaction.atomic():
            if change:
                obj.version = (obj.version or 0) + 1
            obj.save()
            record_change(request.user, "update" if change else "create", obj,
                          before=self._snapshot(old) if old else None, after=self._snapshot(obj),
                          reason="管理后台", source="admin")


@admin.register(Notification)
class NotificationAdmin(ConfigAdmin):
    """The message queue (read only): what was sent, what waits for a retry and why."""

    list_display = ["created_at", "channel", "event", "title", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "event", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
