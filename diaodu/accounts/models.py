"""Password age and the TOTP second factor of each user."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PasswordState(models.Model):
    """When the user last set a password (for the periodic-change rule)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_state")
    changed_at = models.DateTimeField("密码设置时间")

    class Meta:
        verbose_name = "密码状态"
        verbose_name_plural = "密码状态"

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords (never the passwords), so none of
    the last DIAODU_PASSWORD_HISTORY is set again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码哈希", max_length=128)
    replaced_at = models.DateTimeField("停用时间")

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.replaced_at:%Y-%m-%d}"


class TOTPDevice(models.Model):
    """A user's authenticator (RFC 6238). ``last_step`` makes each code single-use."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("密钥", max_length=64)
    confirmed = models.BooleanField("已启用", default=False)
    created_at = models.DateTimeField("绑定时间", auto_now_add=True)
    last_step = models.BigIntegerField(default=-1, editable=False)

    class Meta:
        verbose_name = "动态口令"
        verbose_name_plural = "动态口令"

    def __str__(self) -> str:
        return f"{self.user} 动态口令{'（已启用）' if self.confirmed else '（未启用）'}"

    def verify(self, code: str) -> bool:
        """Check a code and spend it (atomically: a code is accepted once, even
        by two processes at the same moment)."""
        from diaodu.accounts import totp

        step = totp.match(self.secret, code, after_step=self.last_step)
        if step is None:
            return False
        spent = TOTPDevice.objects.filter(pk=self.pk, last_step__lt=step).update(last_step=step)
        self.last_step = step
        return bool(spent)
