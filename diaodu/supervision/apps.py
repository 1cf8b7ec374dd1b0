from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "diaodu.supervision"
    verbose_name = "督查督办"
