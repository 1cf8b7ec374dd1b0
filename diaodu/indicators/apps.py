from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "diaodu.indicators"
    verbose_name = "指标与数据"
