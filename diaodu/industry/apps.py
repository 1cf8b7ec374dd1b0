from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "diaodu.industry"
    verbose_name = "产业链与园区"
