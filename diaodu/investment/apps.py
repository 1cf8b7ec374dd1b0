from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "diaodu.investment"
    verbose_name = "招商引资"
