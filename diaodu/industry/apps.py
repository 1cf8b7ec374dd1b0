from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "diaodu.industry"
    verbose_name = "产业链与园区"

    def ready(self):
        from diaodu.industry import ledgers  # noqa: F401  (registers the app's LedgerSpecs)
