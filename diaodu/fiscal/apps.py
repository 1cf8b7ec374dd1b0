from django.apps import AppConfig


class FiscalConfig(AppConfig):
    name = "diaodu.fiscal"
    verbose_name = "财政收支"

    def ready(self):
        from diaodu.fiscal import importers
        from diaodu.ingest.management.commands.export import register_exporter
        from diaodu.ingest.service import register_importer

        for name, cls in (("fiscal", importers.BudgetImporter), ("land_parcels", importers.LandParcelImporter),
                          ("special_bonds", importers.SpecialBondImporter),
                          ("fiscal_gap", importers.GapParametersImporter)):
            register_importer(cls)
            register_exporter(name, lambda path, period=None, year=None, cls=cls: cls.export(path))
