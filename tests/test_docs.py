"""Every `diaodu` command of the project is documented in the README (Datasette's tested docs)."""

from __future__ import annotations

from pathlib import Path

import django.core.management
from django.core.management import find_commands, get_commands

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_project_command_is_in_the_readme():
    # Commands the project overrides (createsuperuser, flush …) are Django's, documented there.
    django_own = set(find_commands(django.core.management.__path__[0])) | {"createsuperuser", "changepassword"}
    ours = sorted(name for name, app in get_commands().items() if app.startswith("diaodu.") and name not in django_own)
    missing = [name for name in ours if f"`diaodu {name}" not in README and f"diaodu {name}" not in README]
    assert ours, "no project commands found"
    assert missing == [], f"README 未说明的命令：{missing}"
