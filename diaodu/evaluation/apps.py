from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "diaodu.evaluation"
    verbose_name = "评价与测算结果"

    def ready(self):
        from diaodu.evaluation import ledgers  # noqa: F401  (registers the manual-scores ledger)
