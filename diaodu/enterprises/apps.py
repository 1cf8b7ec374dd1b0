from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "diaodu.enterprises"
    verbose_name = "企业监测"

    def ready(self):
        from diaodu.enterprises.importers import EnterpriseImporter, EnterpriseMonthImporter
        from diaodu.ingest.management.commands.export import register_exporter
        from diaodu.ingest.service import register_importer

        register_importer(EnterpriseImporter)
        register_importer(EnterpriseMonthImporter)
        register_exporter("enterprises", lambda path, period=None, year=None: EnterpriseImporter.export(path))
        register_exporter("enterprise_months",
                          lambda path, period=None, year=None: EnterpriseMonthImporter.export(path))
