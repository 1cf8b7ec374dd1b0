"""Helpers shared by the tests: personas' factory and table checksums."""

from __future__ import annotations

import hashlib
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from diaodu.org.models import Department, Profile, Region

PASSWORD = "Test#pass2021"


def make_user(username: str, unit: str, roles: list[str], *, staff: bool = False):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    region = Region.objects.filter(code=unit).first()
    department = None if region else Department.objects.get(code=unit)
    Profile.objects.create(user=user, region=region, department=department, roles=[str(r) for r in roles])
    return user


def table_checksums() -> dict[str, str]:
    """A checksum of every row of every table the project owns (and auth/session),
    to prove a failed import changed nothing."""
    out = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table.startswith("django_migrations"):
                continue
            cols = [f.column for f in model._meta.local_concrete_fields]
            cursor.execute(
                f"SELECT {', '.join(connection.ops.quote_name(c) for c in cols)} FROM "
                f"{connection.ops.quote_name(table)} ORDER BY 1"
            )
            digest = hashlib.sha256()
            for row in cursor.fetchall():
                digest.update(json.dumps(row, default=str, ensure_ascii=False).encode())
            out[table] = digest.hexdigest()
    return out
