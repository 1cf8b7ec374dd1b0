from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "diaodu.projects"
    verbose_name = "重点项目"

    def ready(self):
        from diaodu.projects import ledgers  # noqa: F401  (registers the app's LedgerSpecs)
