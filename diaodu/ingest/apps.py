from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "diaodu.ingest"
    verbose_name = "导入导出"
