from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "diaodu.enterprises"
    verbose_name = "企业监测"

    def ready(self):
        from diaodu.enterprises import ledgers  # noqa: F401  (registers the app's LedgerSpecs)
