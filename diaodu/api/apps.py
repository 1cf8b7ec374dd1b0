from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "diaodu.api"
    label = "api"
    verbose_name = "接口"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from diaodu.api import tokens  # noqa: F401  (tokens end with their owner's credentials)
