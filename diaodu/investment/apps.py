from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "diaodu.investment"
    verbose_name = "招商引资"

    def ready(self):
        from diaodu.ingest.management.commands.export import register_exporter
        from diaodu.ingest.service import register_importer
        from diaodu.investment import importers

        register_importer(importers.DealImporter)
        register_importer(importers.ArrivalImporter)
        register_exporter("investment", importers.export_deals)
        register_exporter("investment-arrivals", importers.export_arrivals)
