from django.apps import AppConfig


class FiscalConfig(AppConfig):
    name = "diaodu.fiscal"
    verbose_name = "财政收支"
