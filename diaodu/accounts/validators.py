"""Password complexity of 等级保护 2.0 level 3 (the date a password was set is
kept by ``diaodu.accounts.signals``)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: not c.isalnum()),
)


class ComplexityValidator:
    """At least ``min_length`` characters and ``min_classes`` of the four
    classes: upper case, lower case, digits, symbols."""

    def __init__(self, min_length: int = 10, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        problems = []
        if len(password) < self.min_length:
            problems.append(f"密码至少 {self.min_length} 位（现为 {len(password)} 位）")
        present = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(present) < self.min_classes:
            problems.append(f"须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类"
                            f"（现有：{'、'.join(present) or '无'}）")
        if problems:
            raise ValidationError("；".join(problems) + "。", code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 位，并包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class HistoryValidator:
    """Not the current password, nor one of the last ``count`` (DIAODU_PASSWORD_HISTORY):
    setting the same password again would restart the 90-day clock without a change."""

    def validate(self, password: str, user=None) -> None:
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        from diaodu.accounts.models import PasswordHistory

        if user is None or not getattr(user, "pk", None):
            return
        count = settings.DIAODU_PASSWORD_HISTORY
        # check_password without a setter: never re-saves (upgrades) the stored hash.
        earlier = [user.password] if user.password else []
        earlier += list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:count])
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(f"新密码不能与当前密码或最近 {count} 次使用过的密码相同。", code="password_reused")

    def get_help_text(self) -> str:
        from django.conf import settings

        return f"不能与当前密码或最近 {settings.DIAODU_PASSWORD_HISTORY} 次使用过的密码相同。"
