"""Helpers shared by the ``diaodu`` management commands: the acting user and
one-sentence errors with exit status 1."""

from __future__ import annotations

import json
import os
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def acting_user(username: str | None):
    """The named user (``--user`` or DIAODU_USER); in a demo database, 'tongji'.

    Figures are written under a real name (统计法 全程留痕), so there is no
    anonymous default outside the demo.
    """
    from diaodu.demo.models import DemoDataset

    User = get_user_model()
    name = username or os.environ.get("DIAODU_USER")
    if not name and DemoDataset.objects.exists():
        name = "tongji"
    if not name:
        raise CommandError("请用 --user 用户名（或环境变量 DIAODU_USER）指定操作人：数据须实名留痕。")
    try:
        return User.objects.get(username=name, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"用户“{name}”不存在或已停用。")


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
