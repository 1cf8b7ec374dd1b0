from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "diaodu.projects"
    verbose_name = "重点项目"

    def ready(self):
        from diaodu.ingest.management.commands.export import register_exporter
        from diaodu.ingest.service import register_importer
        from diaodu.projects import importers

        register_importer(importers.ProjectImporter)
        register_importer(importers.ProgressImporter)
        register_exporter("projects", importers.export_projects)
        register_exporter("projects-progress", importers.export_progress)
