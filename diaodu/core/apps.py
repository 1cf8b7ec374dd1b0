from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared layer. Listed after every ledger app, so that when it is ready every ledger is
    registered and the admin each spec implies can be added."""

    name = "diaodu.core"
    verbose_name = "台账"

    def ready(self):
        from diaodu.core.admin import register_ledger_admins

        register_ledger_admins()
