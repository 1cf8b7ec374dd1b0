from django.apps import AppConfig


class FiscalConfig(AppConfig):
    name = "diaodu.fiscal"
    verbose_name = "财政收支"

    def ready(self):
        from diaodu.fiscal import ledgers  # noqa: F401  (registers the app's LedgerSpecs)
