from django.contrib import admin

from diaodu.core.admin import ConfigAdmin
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


@admin.register(NotificationChannel)
class NotificationChannelAdmin(ConfigAdmin):
    """E-mail and group-robot channels; the last failure shows in the list."""

    list_display = ["name", "kind", "enabled", "last_success_at", "last_failure_at", "last_error"]
    readonly_fields = ["last_success_at", "last_failure_at", "last_error"]

    secret_fields = ("secret",)  # the record shows that the secret changed, not the secret


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
