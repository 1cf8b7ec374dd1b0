from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "diaodu.evaluation"
    verbose_name = "评价与测算结果"
