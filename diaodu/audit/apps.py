from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "diaodu.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from diaodu.audit import signals  # noqa: F401  (login records, triggers)
