"""The ``diaodu`` command.

Every subcommand is a Django management command living in the app it belongs
to (``diaodu import`` in ingest, ``diaodu demo`` in demo, ...), so ``diaodu``
also passes Django's own commands through: ``diaodu migrate``,
``diaodu check --deploy``, ``diaodu createsuperuser``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaodu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["diaodu", *argv])


if __name__ == "__main__":
    main()
