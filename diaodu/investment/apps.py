from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "diaodu.investment"
    verbose_name = "招商引资"

    def ready(self):
        from diaodu.investment import ledgers  # noqa: F401  (registers the app's LedgerSpecs)
