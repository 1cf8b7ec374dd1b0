"""Django's createsuperuser, with the password rules applied also to
DJANGO_SUPERUSER_PASSWORD in --noinput mode (Django checks only typed passwords)."""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password:
            User = get_user_model()
            username = options.get(User.USERNAME_FIELD) or os.environ.get("DJANGO_SUPERUSER_USERNAME", "")
            try:
                validate_password(password, User(**{User.USERNAME_FIELD: username}))
            except ValidationError as exc:
                raise CommandError("DJANGO_SUPERUSER_PASSWORD 不符合密码规则：" + " ".join(exc.messages))
        return super().handle(*args, **options)
