from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "diaodu.enterprises"
    verbose_name = "企业监测"
