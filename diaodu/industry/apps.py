from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "diaodu.industry"
    verbose_name = "产业链与园区"

    def ready(self):
        from diaodu.industry import importers
        from diaodu.ingest.management.commands.export import register_exporter
        from diaodu.ingest.service import register_importer

        for name, cls in (("chains", importers.ChainImporter), ("chain_members", importers.ChainMemberImporter),
                          ("parks", importers.ParkImporter)):
            register_importer(cls)
            register_exporter(name, lambda path, period=None, year=None, cls=cls: cls.export(path))
