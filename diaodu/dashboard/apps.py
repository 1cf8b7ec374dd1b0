from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "diaodu.dashboard"
    verbose_name = "调度室"
